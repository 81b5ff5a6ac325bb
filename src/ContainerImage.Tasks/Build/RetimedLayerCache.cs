using System.Text.Json;
using ContainerImage.Context;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>What one layer became: its gzip blob's digest and size, and the digest of its re-timed tar (its diffID).</summary>
/// <param name="Digest">The blob digest.</param>
/// <param name="Size">The blob size in bytes.</param>
/// <param name="DiffId">The digest of the uncompressed, re-timed tar.</param>
public sealed record RetimedLayer(string Digest, long Size, string DiffId);

/// <summary>
/// <c>retimed-layers.json</c>: input layer digest, epoch and rewrite (a linked chunk's destination and owner) -> <see cref="RetimedLayer"/>. Only a cache: a missing,
/// unreadable or stale file means the layers are converted again, never a wrong image (an entry is used only when
/// its blob is in the folder, and a digest names its content).
/// </summary>
internal sealed class RetimedLayerCache
{
    private readonly string _path;
    private readonly Dictionary<string, RetimedLayer> _entries;

    private RetimedLayerCache(string path, Dictionary<string, RetimedLayer> entries)
    {
        _path = path;
        _entries = entries;
    }

    public static RetimedLayerCache Load(string path)
    {
        Dictionary<string, RetimedLayer>? entries = null;
        try
        {
            if (File.Exists(path)) entries = JsonSerializer.Deserialize<Dictionary<string, RetimedLayer>>(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // See the summary: start empty.
        }
        return new RetimedLayerCache(path, new Dictionary<string, RetimedLayer>(entries ?? [], StringComparer.Ordinal));
    }

    public bool TryGet(string digest, long epoch, out RetimedLayer layer) => TryGet(digest, epoch, TarRewrite.None, out layer);

    public bool TryGet(string digest, long epoch, TarRewrite rewrite, out RetimedLayer layer) => _entries.TryGetValue(Key(digest, epoch, rewrite), out layer!);

    public void Set(string digest, long epoch, RetimedLayer layer) => Set(digest, epoch, TarRewrite.None, layer);

    public void Set(string digest, long epoch, TarRewrite rewrite, RetimedLayer layer) => _entries[Key(digest, epoch, rewrite)] = layer;

    /// <summary>The input digests whose result is one of <paramref name="outputs"/>.</summary>
    public IReadOnlyList<string> SourcesOf(IReadOnlySet<string> outputs)
        => _entries.Where(e => outputs.Contains(e.Value.Digest)).Select(e => e.Key[..e.Key.IndexOf('@', StringComparison.Ordinal)]).Distinct().ToList();

    /// <summary>Writes the file, keeping only entries whose blob is still in the layout <paramref name="layoutFolder"/> (so it does not grow forever).</summary>
    public void Save(string layoutFolder)
    {
        var kept = _entries.Where(e => File.Exists(OciLayout.BlobPath(layoutFolder, e.Value.Digest)))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value);
        var content = JsonSerializer.SerializeToUtf8Bytes(kept);
        AtomicFile.Write(_path, stream => stream.Write(content));
    }

    // digest@epoch for a plain layer (the key before linked chunks existed, so earlier files stay valid);
    // digest@epoch@destination@uid:gid:uname:gname for a rewritten one. A digest holds no '@'.
    private static string Key(string digest, long epoch, TarRewrite rewrite)
        => digest + "@" + epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) + rewrite.CacheKeySuffix;
}
