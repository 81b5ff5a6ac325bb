using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>
/// Which layers of one image manifest are chunks copied with <c>COPY --link</c>, and how each must be rewritten
/// (<see cref="TarRewrite"/>): found by the config history (the layer-bearing entries map 1:1 to layers; BuildKit
/// writes <c>created_by</c> = "COPY [flags] layers/1/part3/ ./ # buildkit", without <c>--link</c>), the owner read
/// from the same folder's plain first chunk.
/// </summary>
internal static class LinkedChunkRewrites
{
    /// <summary>
    /// One rewrite per layer (null: times only) for the layers from <paramref name="firstAdded"/> on. Throws what
    /// <paramref name="fail"/> makes when a linked chunk's layer, its plain chunk or that chunk's owner cannot be found:
    /// a linked layer left as BuildKit wrote it would replace the base image's folders.
    /// </summary>
    public static TarRewrite?[] Resolve(OciLayout layout, JsonObject config, IReadOnlyList<OciDescriptor> layers, int firstAdded,
        IReadOnlyList<LinkedChunk> linked, Func<string, Exception> fail)
    {
        var rewrites = new TarRewrite?[layers.Count];
        if (linked.Count == 0 || firstAdded >= layers.Count) return rewrites;
        var history = config["history"]?.AsArray().Where(h => h?["empty_layer"]?.GetValue<bool>() != true)
            .Select(h => h?["created_by"]?.GetValue<string>() ?? "").ToList();
        if (history is null || history.Count != layers.Count)
        {
            throw fail("its config's history does not list its layers one to one, so the chunks copied with COPY --link cannot be found");
        }
        var owners = new Dictionary<(int, string), TarOwner>();
        foreach (var chunk in linked)
        {
            var found = false;
            for (var i = firstAdded; i < layers.Count; i++)
            {
                if (!IsCopyOf(history[i], chunk.Source)) continue;
                found = true;
                // The nearest plain chunk before it: a base image built by this SDK may hold its own chunk of that name.
                var plain = Enumerable.Range(firstAdded, i - firstAdded).LastOrDefault(p => IsCopyOf(history[p], chunk.PlainSource), -1);
                if (plain < 0)
                {
                    throw fail($"the chunk '{chunk.Source}' was copied with COPY --link, but no layer this build added before it comes from its plain chunk '{chunk.PlainSource}', whose owner it must take");
                }
                if (!owners.TryGetValue((plain, chunk.Destination), out var owner))
                {
                    owner = ReadOwner(layout, layers[plain], chunk.Destination, fail)
                        ?? throw fail($"the plain chunk '{chunk.PlainSource}' (layer {layers[plain].Digest}) has no entry below '{chunk.Destination}' to take the owner of '{chunk.Source}' from");
                    owners[(plain, chunk.Destination)] = owner;
                }
                rewrites[i] = new TarRewrite(chunk.Destination, owner);
            }
            if (!found) throw fail($"no layer this build added comes from the chunk '{chunk.Source}' copied with COPY --link (its config history names no 'COPY ... {chunk.Source} ...')");
        }
        return rewrites;
    }

    /// <summary>True for BuildKit's history of a COPY of <paramref name="source"/>: "COPY [flags] SOURCE DEST # buildkit".</summary>
    internal static bool IsCopyOf(string createdBy, string source)
        => createdBy.StartsWith("COPY ", StringComparison.Ordinal) && createdBy.Contains(" " + source + " ", StringComparison.Ordinal);

    private static TarOwner? ReadOwner(OciLayout layout, OciDescriptor layer, string destination, Func<string, Exception> fail)
    {
        try
        {
            return OwnerBelow(layout, layer, destination);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw fail($"the plain chunk's layer {layer.Digest} cannot be read for its owner ({e.Message})");
        }
    }

    /// <summary>The owner of the first entry strictly below <paramref name="destination"/> in a layer (plain or gzip tar); null when there is none.</summary>
    private static TarOwner? OwnerBelow(OciLayout layout, OciDescriptor layer, string destination)
    {
        using var file = File.OpenRead(layout.BlobPath(layer.Digest));
        using var tar = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new TarReader(tar);
        try
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (!TarPaths.IsBelow(entry.Name, destination)) continue;
                var posix = entry as PosixTarEntry;
                return new TarOwner(entry.Uid, entry.Gid, posix?.UserName, posix?.GroupName);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new InvalidDataException($"the layer {layer.Digest} is not a tar ({e.Message})", e);
        }
        return null;
    }
}
