using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>
/// <c>ImageTimestampRewrite=Sdk</c>: after buildx wrote the layout folder without <c>rewrite-timestamp</c> (new layers
/// uncompressed), clamps the file times of each layer the build added to the epoch, gzips it, and rewrites the
/// config (<c>rootfs.diff_ids</c>), manifests and <c>index.json</c> to match. Each input layer is converted once:
/// <c>retimed-layers.json</c> beside the folder maps it to its result, so an unchanged layer costs a lookup on
/// the next build instead of BuildKit's decompress, re-time and recompress on every export.
/// </summary>
public static class LayerRetimer
{
    /// <summary>The media type of the layers the re-timer writes.</summary>
    public const string GzipLayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";

    private const string TarLayerMediaType = "application/vnd.oci.image.layer.v1.tar";
    private static readonly string[] GzipMediaTypes = [GzipLayerMediaType, "application/vnd.docker.image.rootfs.diff.tar.gzip"];

    /// <summary>The cache file: beside the layout folder, not in it, so a layout reader never sees it.</summary>
    public static string CachePath(string layoutFolder) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(layoutFolder)) ?? "", "retimed-layers.json");

    /// <summary>
    /// Re-times the image in <paramref name="folder"/> to <paramref name="epoch"/> and returns the layout as it now
    /// is (index.json names the new image). Throws CIMG3110 when the folder cannot be read or a layer the build
    /// added is in a form this cannot re-time (zstd). The layers of the chunks in <paramref name="linked"/>
    /// (copied with <c>COPY --link</c>) are also rewritten to give the filesystem the plain chunks would: their
    /// destination's folder chain dropped, their entries given the owner of the same folder's plain chunk
    /// (<see cref="TarRewrite"/>). Throws CIMG3110 too when such a chunk, its plain chunk or that chunk's owner
    /// cannot be found in an image the build added layers to.
    /// </summary>
    public static OciLayout Retime(string folder, long epoch, string imageName, Action<string> log, IReadOnlyList<LinkedChunk>? linked = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        linked ??= [];
        var layout = OciLayout.Read(folder, imageName);
        var cache = RetimedLayerCache.Load(CachePath(folder));
        var replaced = new Dictionary<string, OciDescriptor>(StringComparer.Ordinal);
        var converted = 0;
        var reused = 0;
        var relinked = 0;
        foreach (var manifest in layout.Manifests)
        {
            OciDescriptor updated;
            if (manifest.IsIndex)
            {
                updated = RewriteIndex(layout, manifest, replaced);
            }
            else
            {
                var (descriptor, built, hits, links) = RetimeManifest(layout, manifest, epoch, cache, imageName, linked);
                updated = descriptor;
                converted += built;
                reused += hits;
                relinked += links;
            }
            replaced[manifest.Descriptor.Digest] = updated;
        }
        WriteIndexJson(folder, replaced);
        cache.Save(folder);
        log(string.Create(CultureInfo.InvariantCulture,
            $"re-timed {converted} new layer(s) to SOURCE_DATE_EPOCH={epoch} and gzipped them; {reused} re-used from {CachePath(folder)}; {relinked} of them COPY --link chunk(s) given their folder's owner and the base image's folders"));
        return OciLayout.Read(folder, imageName);
    }

    /// <summary>The input blobs (buildx's plain tars) whose re-timed results <paramref name="layout"/> uses: kept after a push, so buildx skips them next time.</summary>
    public static IReadOnlyList<string> SourcesOf(OciLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var used = layout.Blobs.Select(b => b.Digest).ToHashSet(StringComparer.Ordinal);
        return RetimedLayerCache.Load(CachePath(layout.Folder)).SourcesOf(used);
    }

    private static (OciDescriptor Manifest, int Converted, int Reused, int Linked) RetimeManifest(
        OciLayout layout, OciLayoutManifest manifest, long epoch, RetimedLayerCache cache, string imageName, IReadOnlyList<LinkedChunk> linked)
    {
        var document = JsonNode.Parse(manifest.Content)!.AsObject();
        var configDescriptor = manifest.Blobs[0];
        var config = JsonNode.Parse(File.ReadAllBytes(layout.BlobPath(configDescriptor.Digest)))!.AsObject();
        var layers = document["layers"]?.AsArray() ?? [];
        var diffIds = config["rootfs"]?["diff_ids"]?.AsArray()
            ?? throw Invalid(layout, imageName, $"the config {configDescriptor.Digest} has no rootfs.diff_ids");
        if (diffIds.Count != layers.Count) throw Invalid(layout, imageName, $"the config {configDescriptor.Digest} lists {diffIds.Count} diff_ids for {layers.Count} layers");
        var added = AddedLayerCount(config, layers, epoch);
        var descriptors = layers.Select(l => new OciDescriptor(l!["mediaType"]!.GetValue<string>(), l["digest"]!.GetValue<string>(), l["size"]!.GetValue<long>())).ToList();
        // Two steps: the linked chunks' owners are read from their plain chunks' input layers first (the owner is part
        // of the cache key), then every new layer is converted in parallel.
        var rewrites = LinkedChunkRewrites.Resolve(layout, config, descriptors, layers.Count - added, linked, reason => Invalid(layout, imageName, reason));
        var results = new RetimedLayer?[layers.Count];
        var converted = 0;
        var reused = 0;
        var work = new List<(int Index, OciDescriptor Layer, TarRewrite Rewrite)>();
        for (var i = layers.Count - added; i < layers.Count; i++)
        {
            var layer = descriptors[i];
            var rewrite = rewrites[i] ?? TarRewrite.None;
            if (cache.TryGet(layer.Digest, epoch, rewrite, out var hit) && File.Exists(layout.BlobPath(hit.Digest)))
            {
                results[i] = hit;
                reused++;
            }
            else if (layer.MediaType == TarLayerMediaType || GzipMediaTypes.Contains(layer.MediaType))
            {
                work.Add((i, layer, rewrite));
            }
            else
            {
                throw Invalid(layout, imageName, $"the layer {layer.Digest} this build added is '{layer.MediaType}' (an earlier export's blob), which ImageTimestampRewrite=Sdk cannot re-time; set ImageTimestampRewrite=BuildKit");
            }
        }
        var outcomes = new ConcurrentDictionary<int, RetimedLayer>();
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
            outcomes[item.Index] = RetimeLayer(layout, item.Layer, diffIds[item.Index]!.GetValue<string>(), epoch, item.Rewrite));
        foreach (var (index, layer, rewrite) in work)
        {
            results[index] = outcomes[index];
            cache.Set(layer.Digest, epoch, rewrite, outcomes[index]);
            converted++;
        }
        for (var i = 0; i < layers.Count; i++)
        {
            if (results[i] is not { } result) continue;
            var mediaType = result.Digest == layers[i]!["digest"]!.GetValue<string>() ? layers[i]!["mediaType"]!.GetValue<string>() : GzipLayerMediaType;
            layers[i] = new JsonObject { ["mediaType"] = mediaType, ["digest"] = result.Digest, ["size"] = result.Size };
            diffIds[i] = result.DiffId;
        }
        var newConfig = WriteBlob(layout.Folder, JsonSerializer.SerializeToUtf8Bytes(config));
        document["config"] = new JsonObject { ["mediaType"] = configDescriptor.MediaType, ["digest"] = newConfig.Digest, ["size"] = newConfig.Size };
        var written = WriteBlob(layout.Folder, JsonSerializer.SerializeToUtf8Bytes(document));
        return (manifest.Descriptor with { Digest = written.Digest, Size = written.Size }, converted, reused, rewrites.Count(r => r is not null));
    }

    /// <summary>
    /// How many layers at the end of the manifest this build added: the trailing layer-bearing history entries
    /// created at the epoch (BuildKit dates the steps it runs SOURCE_DATE_EPOCH; the base image's steps keep their
    /// dates). Without a usable history: the uncompressed layers at the end (a base image's layers keep their
    /// compressed blobs). A base image itself built at this epoch then counts as added; its layers are already
    /// clamped, so re-timing leaves them as they are (see <see cref="RetimeLayer"/>).
    /// </summary>
    internal static int AddedLayerCount(JsonObject config, JsonArray layers, long epoch)
    {
        var history = config["history"]?.AsArray();
        var bearing = history?.Where(h => h?["empty_layer"]?.GetValue<bool>() != true).ToList();
        if (bearing is not null && bearing.Count == layers.Count)
        {
            var count = 0;
            for (var i = bearing.Count - 1; i >= 0; i--)
            {
                var created = bearing[i]?["created"]?.GetValue<string>();
                if (created is null || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    || time != DateTimeOffset.FromUnixTimeSeconds(epoch))
                {
                    break;
                }
                count++;
            }
            return count;
        }
        var trailing = 0;
        for (var i = layers.Count - 1; i >= 0 && layers[i]!["mediaType"]!.GetValue<string>() == TarLayerMediaType; i--) trailing++;
        return trailing;
    }

    /// <summary>
    /// One layer: clamp its tar (decompressing a gzip blob an earlier export left) and apply <paramref name="rewrite"/>,
    /// hash the result (its diffID), gzip it, hash that (its digest) and store it. A compressed layer that needs no
    /// change keeps its blob.
    /// </summary>
    private static RetimedLayer RetimeLayer(OciLayout layout, OciDescriptor layer, string diffId, long epoch, TarRewrite rewrite)
    {
        var blobs = OciLayout.BlobsFolder(layout.Folder);
        var temporary = Path.Combine(blobs, ".retime-" + Guid.NewGuid().ToString("N"));
        try
        {
            bool changed;
            string newDiffId;
            string digest;
            long size;
            using (var source = File.OpenRead(layout.BlobPath(layer.Digest)))
            using (var tar = layer.MediaType == TarLayerMediaType ? source : (Stream)new GZipStream(source, CompressionMode.Decompress))
            using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            using (var blobHash = new HashingStream(target))
            {
                using (var gzip = new GZipStream(blobHash, CompressionLevel.Optimal, leaveOpen: true))
                using (var tarHash = new HashingStream(gzip))
                {
                    changed = TarTimestampClamp.Clamp(tar, tarHash, epoch, rewrite);
                    tarHash.Flush();
                    newDiffId = tarHash.Digest();
                }
                digest = blobHash.Digest();
                size = blobHash.Length;
            }
            if (!changed && layer.MediaType != TarLayerMediaType) return new RetimedLayer(layer.Digest, layer.Size, diffId);
            var path = layout.BlobPath(digest);
            if (File.Exists(path)) File.Delete(temporary);
            else File.Move(temporary, path);
            return new RetimedLayer(digest, size, newDiffId);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static OciDescriptor RewriteIndex(OciLayout layout, OciLayoutManifest index, Dictionary<string, OciDescriptor> replaced)
    {
        var document = JsonNode.Parse(index.Content)!.AsObject();
        foreach (var entry in document["manifests"]!.AsArray())
        {
            if (replaced.TryGetValue(entry!["digest"]!.GetValue<string>(), out var updated))
            {
                entry["digest"] = updated.Digest;
                entry["size"] = updated.Size;
            }
        }
        var written = WriteBlob(layout.Folder, JsonSerializer.SerializeToUtf8Bytes(document));
        return index.Descriptor with { Digest = written.Digest, Size = written.Size };
    }

    private static void WriteIndexJson(string folder, Dictionary<string, OciDescriptor> replaced)
    {
        var path = Path.Combine(folder, "index.json");
        var index = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
        foreach (var entry in index["manifests"]!.AsArray())
        {
            if (replaced.TryGetValue(entry!["digest"]!.GetValue<string>(), out var updated))
            {
                entry["digest"] = updated.Digest;
                entry["size"] = updated.Size;
            }
        }
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(index));
    }

    private static (string Digest, long Size) WriteBlob(string folder, byte[] content)
    {
        var digest = OciDigest.Of(content);
        var path = OciLayout.BlobPath(folder, digest);
        if (!File.Exists(path)) File.WriteAllBytes(path, content);
        return (digest, content.Length);
    }

    private static ImageDefinitionException Invalid(OciLayout layout, string imageName, string reason)
        => new(DiagnosticCodes.OciLayoutInvalid, layout.Folder, imageName, reason);
}
