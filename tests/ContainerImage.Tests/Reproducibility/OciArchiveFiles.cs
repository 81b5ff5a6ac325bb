using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>
/// Reads the files of an image in an OCI archive (what <c>--output type=oci</c> writes): the index,
/// the one image manifest, and each layer's tar, so a test can look inside what was built without
/// loading it into an engine.
/// </summary>
internal static class OciArchiveFiles
{
    /// <summary>Every regular file of every layer whose path matches <paramref name="select"/>, with its content.</summary>
    public static List<(string Path, byte[] Content)> Find(string archive, Func<string, bool> select)
    {
        using var outer = ZipLikeTar.Open(archive);
        var index = JsonDocument.Parse(outer.Read("index.json"));
        var manifest = JsonDocument.Parse(outer.Read(BlobPath(index.RootElement.GetProperty("manifests")[0])));
        if (manifest.RootElement.TryGetProperty("manifests", out var nested))
        {
            manifest = JsonDocument.Parse(outer.Read(BlobPath(nested[0])));
        }
        var found = new List<(string, byte[])>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            using var gzip = new GZipStream(new MemoryStream(outer.Read(BlobPath(layer))), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !select(entry.Name)) continue;
                using var content = new MemoryStream();
                entry.DataStream?.CopyTo(content);
                found.Add((entry.Name, content.ToArray()));
            }
        }
        return found;
    }

    private static string BlobPath(JsonElement descriptor)
        => "blobs/sha256/" + descriptor.GetProperty("digest").GetString()!["sha256:".Length..];

    /// <summary>The archive's entries by name (archives of test images are small enough to hold in memory).</summary>
    private sealed class ZipLikeTar : IDisposable
    {
        private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

        public static ZipLikeTar Open(string path)
        {
            var archive = new ZipLikeTar();
            using var stream = File.OpenRead(path);
            using var tar = new TarReader(stream);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null) continue;
                using var content = new MemoryStream();
                entry.DataStream.CopyTo(content);
                archive._entries[entry.Name.TrimStart('.', '/')] = content.ToArray();
            }
            return archive;
        }

        public byte[] Read(string name)
            => _entries.TryGetValue(name, out var content) ? content : throw new AssertFailedException($"The OCI archive has no '{name}'.");

        public void Dispose() => _entries.Clear();
    }
}
