using System.Formats.Tar;
using System.IO.Compression;
using ContainerImage.Build;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// A <c>COPY --link</c> chunk built by the real engine and rewritten by <see cref="LayerRetimer"/>: the image's
/// filesystem is the one plain chunks give (the base's <c>/srv/app</c> keeps its 0750, the files their owner).
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class LinkedChunkRetimeEngineTests
{
    private sealed record Node(TarEntryType Type, int Mode, int Uid, int Gid, long Length, long Time);

    private static async Task<string> BuildLayoutAsync(string root, string name, string secondCopy)
    {
        var context = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(context, "layers", "1", "part0", "sub"));
        Directory.CreateDirectory(Path.Combine(context, "layers", "1", "part1", "pkg"));
        // Content unique to this run, so the chunks are built now rather than taken from another run's cache.
        var run = Path.GetFileName(root);
        File.WriteAllText(Path.Combine(context, "layers", "1", "part0", "a.txt"), "a " + run);
        File.WriteAllText(Path.Combine(context, "layers", "1", "part0", "sub", "s.txt"), "s " + run);
        File.WriteAllText(Path.Combine(context, "layers", "1", "part1", "b.txt"), "b " + run);
        File.WriteAllText(Path.Combine(context, "layers", "1", "part1", "pkg", "c.txt"), "c " + run);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"""
            FROM {Engine.BusyboxImage}
            RUN mkdir -p /srv/app && chmod 0750 /srv/app
            WORKDIR /srv/app
            COPY --chown=1000:1000 ["layers/1/part0/", "./"]
            {secondCopy} ["layers/1/part1/", "./"]

            """);
        var layout = Path.Combine(root, name + "-layout", "oci");
        var built = await CapturedProcess.RunAsync("docker", ["buildx", "build", "--provenance=false", "--build-arg", "SOURCE_DATE_EPOCH=0",
            "--output", $"type=oci,tar=false,dest={layout},name=link-{name},compression=uncompressed", context],
            TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.AreEqual(0, built.ExitCode, built.Output);
        return layout;
    }

    /// <summary>The image's filesystem: its layers applied in order (whiteouts remove), path -> metadata.</summary>
    private static Dictionary<string, Node> Filesystem(OciLayout layout)
    {
        var files = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var layer in layout.Manifests.Single().Blobs.Skip(1))
        {
            using var file = File.OpenRead(layout.BlobPath(layer.Digest));
            using var tar = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry() is { } entry)
            {
                var path = entry.Name.TrimEnd('/');
                var folder = Path.GetDirectoryName(path)!.Replace('\\', '/');
                var leaf = Path.GetFileName(path);
                if (leaf.StartsWith(".wh.", StringComparison.Ordinal))
                {
                    var removed = (folder.Length == 0 ? "" : folder + "/") + leaf[4..];
                    foreach (var key in files.Keys.Where(k => k == removed || k.StartsWith(removed + "/", StringComparison.Ordinal)).ToList()) files.Remove(key);
                    continue;
                }
                files[path] = new Node(entry.EntryType, (int)entry.Mode, entry.Uid, entry.Gid, entry.Length, entry.ModificationTime.ToUnixTimeSeconds());
            }
        }
        return files;
    }

    [TestMethod]
    public async Task ALinkedChunkRewrittenGivesThePlainChunksFilesystem()
    {
        await Engine.RequireAsync();
        using var folder = new TempDirectory();
        var plainLayout = await BuildLayoutAsync(folder.Path, "plain", "COPY --chown=1000:1000");
        var linkedLayout = await BuildLayoutAsync(folder.Path, "linked", "COPY --link");
        var asBuilt = Filesystem(OciLayout.Read(linkedLayout, "link-linked"));
        Assert.AreEqual(0b111_101_101, asBuilt["srv/app"].Mode, "the engine's linked layer replaces /srv/app (what the rewrite is for)");

        var plain = Filesystem(LayerRetimer.Retime(plainLayout, 0, "link-plain", _ => { }));
        var log = new List<string>();
        var linked = Filesystem(LayerRetimer.Retime(linkedLayout, 0, "link-linked", log.Add, [new LinkedChunk("layers/1/part1/", "/srv/app/", "layers/1/part0/")]));

        StringAssert.Contains(log.Single(), "1 of them COPY --link");
        Assert.AreEqual(new Node(TarEntryType.Directory, 0b111_101_000, 0, 0, 0, 0), linked["srv/app"]);
        Assert.AreEqual(1000, linked["srv/app/b.txt"].Uid);
        Assert.AreEqual(1000, linked["srv/app/pkg"].Gid);
        var differences = plain.Keys.Union(linked.Keys)
            .Where(k => !plain.TryGetValue(k, out var p) || !linked.TryGetValue(k, out var l) || p != l)
            .Select(k => $"{k}: plain {plain.GetValueOrDefault(k)}, linked {linked.GetValueOrDefault(k)}").ToList();
        Assert.AreEqual(0, differences.Count, string.Join("\n", differences));
        Assert.IsTrue(plain.Count > 10, "the base image's files are compared too");
    }
}
