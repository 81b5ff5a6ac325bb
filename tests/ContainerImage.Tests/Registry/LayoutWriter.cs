using System.Security.Cryptography;
using System.Text;
using ContainerImage.Registry;

namespace ContainerImage.Tests.Registry;

/// <summary>
/// Writes OCI image layouts the way buildx does (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/..</c>),
/// with real content: random layers, a config naming the platform, manifests and indexes whose digests are the
/// SHA-256 of their bytes. For the layout reader and the pusher, without a build.
/// </summary>
internal sealed class LayoutWriter
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar+gzip";

    public LayoutWriter(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Folder { get; }

    /// <summary>Stores <paramref name="content"/> as a blob and returns its descriptor.</summary>
    public OciDescriptor Blob(byte[] content, string mediaType)
    {
        var digest = OciDigest.Of(content);
        File.WriteAllBytes(OciLayout.BlobPath(Folder, digest), content);
        return new OciDescriptor(mediaType, digest, content.Length);
    }

    /// <summary>Stores <paramref name="content"/> as a blob and returns its descriptor as JSON, for configs and manifests written by hand.</summary>
    public System.Text.Json.Nodes.JsonObject BlobJson(byte[] content, string mediaType)
    {
        var blob = Blob(content, mediaType);
        return new System.Text.Json.Nodes.JsonObject { ["mediaType"] = blob.MediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };
    }

    /// <summary>A layer of <paramref name="size"/> random bytes (unique, so never already in a registry).</summary>
    public OciDescriptor RandomLayer(int size) => Blob(RandomNumberGenerator.GetBytes(size), Layer);

    /// <summary>An image manifest for <paramref name="architecture"/> over <paramref name="layers"/> (its config is written too).</summary>
    public OciDescriptor Manifest(string architecture, params OciDescriptor[] layers)
    {
        var config = Blob(Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"{{{architecture}}}","os":"linux","nonce":"{{{Guid.NewGuid():N}}}","rootfs":{"type":"layers","diff_ids":[]}}"""),
            "application/vnd.oci.image.config.v1+json");
        var json = $$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{{Describe(config)}},"layers":[{{string.Join(",", layers.Select(Describe))}}]}""";
        return Blob(Encoding.UTF8.GetBytes(json), OciManifest);
    }

    /// <summary>An index listing <paramref name="children"/> (a manifest's platform is its architecture, read from <paramref name="architectures"/>).</summary>
    public OciDescriptor Index(IReadOnlyList<OciDescriptor> children, IReadOnlyList<string?> architectures)
    {
        var entries = children.Select((c, i) => architectures[i] is { } arch
            ? Describe(c)[..^1] + $$$""","platform":{"architecture":"{{{arch}}}","os":"linux"}}"""
            : Describe(c));
        var json = $$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[{{string.Join(",", entries)}}]}""";
        return Blob(Encoding.UTF8.GetBytes(json), OciIndex);
    }

    /// <summary>Writes index.json naming <paramref name="images"/> (one entry each, as buildx does per name).</summary>
    public void Top(params OciDescriptor[] images)
        => File.WriteAllText(Path.Combine(Folder, "index.json"),
            $$"""{"schemaVersion":2,"manifests":[{{string.Join(",", images.Select(Describe))}}]}""");

    public string BlobPath(OciDescriptor blob) => OciLayout.BlobPath(Folder, blob.Digest);

    private static string Describe(OciDescriptor d) => $$"""{"mediaType":"{{d.MediaType}}","digest":"{{d.Digest}}","size":{{d.Size}}}""";
}
