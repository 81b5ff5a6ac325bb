using System.Text.Json;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>
/// An OCI image layout folder (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/...</c>) holding one image,
/// as buildx writes it with <c>--output type=oci,tar=false</c>: the image <c>index.json</c> names, every manifest
/// under it (children before their index, the push order) and every config and layer blob. Reading checks what a
/// push relies on: each manifest's bytes hash to its digest, and each blob is present with its declared size.
/// Anything else is CIMG3110.
/// </summary>
public sealed class OciLayout
{
    private const long MaxManifestBytes = 4 * 1024 * 1024;
    private const int MaxDepth = 8;

    private OciLayout(string folder, OciDescriptor image, IReadOnlyList<OciLayoutManifest> manifests)
    {
        Folder = folder;
        Image = image;
        Manifests = manifests;
        Blobs = manifests.SelectMany(m => m.Blobs).DistinctBy(b => b.Digest).ToList();
    }

    /// <summary>The layout folder.</summary>
    public string Folder { get; }

    /// <summary>The image: the manifest or index <c>index.json</c> lists (under one or several names).</summary>
    public OciDescriptor Image { get; }

    /// <summary>Every manifest and index reachable from <see cref="Image"/>, once each, children before the index that lists them.</summary>
    public IReadOnlyList<OciLayoutManifest> Manifests { get; }

    /// <summary>Every config and layer blob of every manifest, once each.</summary>
    public IReadOnlyList<OciDescriptor> Blobs { get; }

    /// <summary>The path of a blob in the folder.</summary>
    public string BlobPath(string digest) => BlobPath(Folder, digest);

    /// <summary>
    /// Reads the layout in <paramref name="folder"/>; <paramref name="imageName"/> names the image in messages.
    /// Throws CIMG3110 when <c>index.json</c> is missing or lists no image or two different ones, a manifest is
    /// unreadable, of an unknown type or does not match its digest, or a blob is missing or of the wrong size.
    /// </summary>
    public static OciLayout Read(string folder, string imageName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var fail = (string reason) => new ImageDefinitionException(DiagnosticCodes.OciLayoutInvalid, folder, imageName, reason);
        var indexPath = Path.Combine(folder, "index.json");
        if (!File.Exists(indexPath)) throw fail("it has no index.json");
        List<OciDescriptor> entries;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            entries = ReadDescriptors(document.RootElement, "manifests", "index.json", fail);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw fail($"its index.json cannot be read ({e.Message})");
        }
        // buildx lists the image once per name (name=a,b): the same digest each time.
        var images = entries.DistinctBy(e => e.Digest).ToList();
        if (images.Count != 1) throw fail($"its index.json lists {images.Count} images, not one");

        var manifests = new List<OciLayoutManifest>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Walk(folder, images[0], 0, manifests, seen, fail);
        return new OciLayout(folder, images[0], manifests);
    }

    /// <summary>
    /// Deletes every blob in <see cref="Folder"/> that this image does not reference, so the
    /// folder kept between builds holds one image, not every version ever built. Returns the bytes freed.
    /// A blob that cannot be deleted is left: the next build skips it, the next clean-up tries again.
    /// </summary>
    public long RemoveUnreferencedBlobs() => RemoveUnreferencedBlobs([]);

    /// <summary>As <see cref="RemoveUnreferencedBlobs()"/>, also keeping the blobs in <paramref name="alsoKeep"/> (digests).</summary>
    public long RemoveUnreferencedBlobs(IEnumerable<string> alsoKeep)
    {
        var keep = new HashSet<string>(alsoKeep, StringComparer.Ordinal);
        foreach (var manifest in Manifests)
        {
            keep.Add(manifest.Descriptor.Digest);
            foreach (var blob in manifest.Blobs) keep.Add(blob.Digest);
        }
        var blobs = BlobsFolder(Folder);
        if (!Directory.Exists(blobs)) return 0;
        long freed = 0;
        foreach (var file in Directory.EnumerateFiles(blobs))
        {
            if (keep.Contains("sha256:" + Path.GetFileName(file))) continue;
            try
            {
                var size = new FileInfo(file).Length;
                File.Delete(file);
                freed += size;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // See the summary: a leftover costs disk space, never correctness.
            }
        }
        return freed;
    }

    private static void Walk(string folder, OciDescriptor descriptor, int depth, List<OciLayoutManifest> manifests,
        HashSet<string> seen, Func<string, ImageDefinitionException> fail)
    {
        if (!seen.Add(descriptor.Digest)) return;
        if (depth > MaxDepth) throw fail($"its indexes nest more than {MaxDepth} deep");
        var isIndex = ManifestMediaTypes.IsIndex(descriptor.MediaType);
        if (!isIndex && !ManifestMediaTypes.IsManifest(descriptor.MediaType))
        {
            throw fail($"{descriptor.Digest} has media type '{descriptor.MediaType}', which is neither an image manifest nor an index");
        }
        if (descriptor.Size > MaxManifestBytes) throw fail($"the manifest {descriptor.Digest} declares {descriptor.Size} bytes");
        var content = ReadBlob(folder, descriptor, fail);
        var actual = OciDigest.Of(content);
        if (actual != descriptor.Digest) throw fail($"the manifest {descriptor.Digest} holds bytes whose digest is {actual}");

        List<OciDescriptor> blobs = [];
        List<OciDescriptor> children = [];
        try
        {
            using var document = JsonDocument.Parse(content);
            if (isIndex)
            {
                children = ReadDescriptors(document.RootElement, "manifests", descriptor.Digest, fail);
            }
            else
            {
                if (!document.RootElement.TryGetProperty("config", out var config)) throw fail($"the manifest {descriptor.Digest} has no config");
                blobs.Add(ReadDescriptor(config, descriptor.Digest, fail));
                if (document.RootElement.TryGetProperty("layers", out _))
                {
                    blobs.AddRange(ReadDescriptors(document.RootElement, "layers", descriptor.Digest, fail));
                }
            }
        }
        catch (JsonException e)
        {
            throw fail($"the manifest {descriptor.Digest} is not valid JSON ({e.Message})");
        }
        foreach (var child in children) Walk(folder, child, depth + 1, manifests, seen, fail);
        foreach (var blob in blobs) RequireBlob(folder, blob, fail);
        manifests.Add(new OciLayoutManifest(descriptor, content, blobs, children));
    }

    private static byte[] ReadBlob(string folder, OciDescriptor descriptor, Func<string, ImageDefinitionException> fail)
    {
        RequireBlob(folder, descriptor, fail);
        try
        {
            return File.ReadAllBytes(BlobPath(folder, descriptor.Digest));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw fail($"the blob {descriptor.Digest} cannot be read ({e.Message})");
        }
    }

    private static void RequireBlob(string folder, OciDescriptor descriptor, Func<string, ImageDefinitionException> fail)
    {
        var file = new FileInfo(BlobPath(folder, descriptor.Digest));
        if (!file.Exists) throw fail($"the blob {descriptor.Digest} ({descriptor.MediaType}) is missing");
        if (file.Length != descriptor.Size) throw fail($"the blob {descriptor.Digest} has {file.Length} bytes, not the {descriptor.Size} its descriptor declares");
    }

    private static List<OciDescriptor> ReadDescriptors(JsonElement parent, string property, string where, Func<string, ImageDefinitionException> fail)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw fail($"{where} has no '{property}' list");
        }
        return list.EnumerateArray().Select(e => ReadDescriptor(e, where, fail)).ToList();
    }

    private static OciDescriptor ReadDescriptor(JsonElement element, string where, Func<string, ImageDefinitionException> fail)
    {
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("mediaType", out var mediaType) && mediaType.ValueKind == JsonValueKind.String
            && element.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String
            // Only sha256 digests: the digest becomes a file name, and nothing else may.
            && ImageNames.IsDigest(digest.GetString()!) && digest.GetString()!.StartsWith("sha256:", StringComparison.Ordinal)
            && element.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) && bytes >= 0)
        {
            return new OciDescriptor(mediaType.GetString()!, digest.GetString()!, bytes);
        }
        throw fail($"{where} has a descriptor without a media type, a sha256 digest and a size");
    }

    /// <summary>The folder of a layout's blobs: <c>blobs/sha256</c>.</summary>
    public static string BlobsFolder(string folder) => Path.Combine(folder, "blobs", "sha256");

    /// <summary>Where the layout in <paramref name="folder"/> keeps the blob <paramref name="digest"/> (a sha256 digest).</summary>
    public static string BlobPath(string folder, string digest) => Path.Combine(BlobsFolder(folder), digest["sha256:".Length..]);
}
