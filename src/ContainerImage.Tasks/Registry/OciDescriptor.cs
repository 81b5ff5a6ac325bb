namespace ContainerImage.Registry;

/// <summary>An OCI content descriptor: what a blob is, its digest and its size in bytes.</summary>
/// <param name="MediaType">The media type (a manifest, an index, a config or a layer type).</param>
/// <param name="Digest">The content digest, <c>sha256:</c> and 64 hex digits.</param>
/// <param name="Size">The size in bytes.</param>
public sealed record OciDescriptor(string MediaType, string Digest, long Size);

/// <summary>A manifest or index of an <see cref="OciLayout"/>, with its exact bytes.</summary>
/// <param name="Descriptor">Its descriptor.</param>
/// <param name="Content">Its bytes as the layout holds them: pushed unchanged, so the registry's digest is the layout's.</param>
/// <param name="Blobs">For a manifest: its config and layers; for an index: empty.</param>
/// <param name="Children">For an index: the manifests (or indexes) it lists; for a manifest: empty.</param>
public sealed record OciLayoutManifest(OciDescriptor Descriptor, byte[] Content, IReadOnlyList<OciDescriptor> Blobs, IReadOnlyList<OciDescriptor> Children)
{
    /// <summary>True for an image index (or Docker manifest list).</summary>
    public bool IsIndex => ManifestMediaTypes.IsIndex(Descriptor.MediaType);
}
