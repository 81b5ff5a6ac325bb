using System.Text.Json.Nodes;
using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>
/// The per-layer manifest cache (<see cref="LayerManifestCache"/>, kept by <see cref="FileHasher"/> beside its
/// hash cache): an unchanged walk reuses the manifest, any changed path, size, time or execute bit misses, and
/// the identifier is byte-identical with and without it.
/// </summary>
[TestClass]
public sealed class LayerManifestCacheTests
{
    private static readonly DateTime Time = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void AnUnchangedWalkIsServedFromTheCacheAcrossRuns()
    {
        using var tree = Tree(out var image);
        var cache = tree.Path_("obj/hashes.bin");
        var first = Run(image, cache, out var firstHasher);
        Assert.AreEqual(0, firstHasher.LayerManifests!.Hits);
        var second = Run(image, cache, out var secondHasher);
        Assert.AreEqual(1, secondHasher.LayerManifests!.Hits);
        // Nothing was looked up file by file, so nothing was read either.
        Assert.AreEqual(0, secondHasher.FilesRead);
        Assert.AreEqual(first.CanonicalJson, second.CanonicalJson);
        Assert.AreEqual(first.Identifier, second.Identifier);
    }

    [TestMethod]
    [DataRow("size")]
    [DataRow("time")]
    [DataRow("mode")]
    [DataRow("path")]
    public void AnyChangeOfTheWalkMissesTheCache(string change)
    {
        using var tree = Tree(out var image);
        var cache = tree.Path_("obj/hashes.bin");
        Run(image, cache, out _);
        var file = tree.Path_("src/b.txt");
        switch (change)
        {
            case "size":
                File.WriteAllText(file, "bee, longer");
                File.SetLastWriteTimeUtc(file, Time);
                break;
            case "time":
                // Same size, same time on every other file: only this file's time differs (content too, as an edit would).
                File.WriteAllText(file, "BEE");
                File.SetLastWriteTimeUtc(file, Time.AddSeconds(1));
                break;
            case "mode":
                if (OperatingSystem.IsWindows()) Assert.Inconclusive("no execute bit on Windows");
                else File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserExecute);
                break;
            case "path":
                File.Move(file, tree.Path_("src/c.txt"));
                break;
        }
        var changed = Run(image, cache, out var hasher);
        Assert.AreEqual(0, hasher.LayerManifests!.Hits, "a changed " + change + " must miss the layer cache");
        var uncached = ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(), Fixed);
        Assert.AreEqual(uncached.CanonicalJson, changed.CanonicalJson);
    }

    [TestMethod]
    public void TheKeyCoversEveryFieldOfTheWalk()
    {
        var file = new ContextFile("/s/a", "layers/1/a", "a", false, 3, Time);
        var key = LayerManifestCache.KeyOf([file]);
        Assert.IsNotNull(key);
        Assert.AreEqual(key, LayerManifestCache.KeyOf([file with { }]));
        foreach (var other in new[]
        {
            file with { SourcePath = "/s/b" }, file with { RelativePath = "b" }, file with { IsExecutable = true },
            file with { Length = 4 }, file with { LastWriteTimeUtc = Time.AddTicks(1) },
        })
        {
            Assert.AreNotEqual(key, LayerManifestCache.KeyOf([other]), other.ToString());
        }
        Assert.AreNotEqual(key, LayerManifestCache.KeyOf([file, file]));
        // A file without a walk time (a caller's synthetic entry) makes the layer uncacheable.
        Assert.IsNull(LayerManifestCache.KeyOf([file with { LastWriteTimeUtc = default }]));
    }

    // The key of a walk larger than the key's 64 KiB buffer (and a path longer than it) is the SHA-256 of the
    // documented byte stream: the buffering changes when bytes are hashed, never which bytes.
    [TestMethod]
    public void AWalkLargerThanTheKeyBufferHasTheKeyOfItsWholeByteStream()
    {
        var files = Enumerable.Range(0, 5000)
            .Select(i => new ContextFile($"/src/tree/pkg{i % 7}/ü-file{i:D5}.py", $"layers/1/pkg{i % 7}/ü-file{i:D5}.py", $"pkg{i % 7}/ü-file{i:D5}.py",
                i % 3 == 0, i * 17L, Time.AddSeconds(i)))
            .Append(new ContextFile("/src/" + new string('x', 40_000), "layers/1/long", "long", false, 1, Time))
            .ToList();
        Assert.AreEqual(ReferenceKey(files), LayerManifestCache.KeyOf(files));
        // A change in the last, a middle and the first file is still seen.
        foreach (var at in new[] { files.Count - 1, files.Count / 2, 0 })
        {
            var changed = files.ToList();
            changed[at] = changed[at] with { LastWriteTimeUtc = changed[at].LastWriteTimeUtc.AddTicks(1) };
            Assert.AreNotEqual(LayerManifestCache.KeyOf(files), LayerManifestCache.KeyOf(changed), $"file {at}");
            Assert.AreEqual(ReferenceKey(changed), LayerManifestCache.KeyOf(changed));
        }
    }

    // The key's byte stream written out in one piece (LayerManifestCache.KeyOf's documented encoding).
    private static string ReferenceKey(IReadOnlyList<ContextFile> files)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("containerimage-layer-walk-1"u8);
        writer.Write((long)files.Count);
        foreach (var file in files)
        {
            foreach (var text in new[] { file.SourcePath, file.RelativePath })
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
            writer.Write(file.IsExecutable ? (byte)'x' : (byte)'-');
            writer.Write(file.Length);
            writer.Write(file.LastWriteTimeUtc.Ticks);
        }
        writer.Flush();
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream.ToArray()));
    }

    [TestMethod]
    public void ADamagedCacheIsIgnored()
    {
        using var tree = Tree(out var image);
        var cache = tree.Path_("obj/hashes.bin");
        var first = Run(image, cache, out _);
        var layers = cache + ".layers";
        var bytes = File.ReadAllBytes(layers);
        File.WriteAllBytes(layers, bytes[..(bytes.Length / 2)]);
        var second = Run(image, cache, out var hasher);
        Assert.AreEqual(0, hasher.LayerManifests!.Hits);
        Assert.AreEqual(first.CanonicalJson, second.CanonicalJson);
    }

    [TestMethod]
    public void EveryVectorHasTheSameIdentityWithTheCacheColdAndWarm()
    {
        var files = Directory.GetFiles(IdentifierVectorTests.Vectors(), "*.json").Order(StringComparer.Ordinal).ToList();
        var hits = 0;
        foreach (var path in files)
        {
            var vector = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            using var tree = new TempTree();
            IdentifierVectorTests.WriteFiles(vector, tree);
            var uncached = IdentifierVectorTests.Compute(vector, tree, new FileHasher());
            var cache = Path.Combine(tree.Root, "..", Path.GetFileName(tree.Root) + "-hashes.bin");
            try
            {
                foreach (var round in new[] { "cold", "warm" })
                {
                    var hasher = new FileHasher(cache);
                    var cached = IdentifierVectorTests.Compute(vector, tree, hasher);
                    hasher.Save();
                    if (round == "warm") hits += hasher.LayerManifests!.Hits;
                    Assert.AreEqual(uncached.CanonicalJson, cached.CanonicalJson, path + " " + round);
                    Assert.AreEqual(uncached.Identifier, cached.Identifier, path + " " + round);
                    Assert.AreEqual(Manifests(uncached), Manifests(cached), path + " " + round);
                }
            }
            finally
            {
                File.Delete(cache);
                File.Delete(cache + ".layers");
            }
        }
        Assert.IsGreaterThan(0, hits, "some vector has a layer with files, served warm from the cache");
    }

    [TestMethod]
    public void AGeneratedTreeHasTheSameIdentityWithTheCache()
    {
        using var tree = new TempTree();
        var random = new Random(7);
        for (var i = 0; i < 600; i++)
        {
            tree.Write($"src/d{i % 7}/e{i % 3}/f{i}.txt", new string((char)('a' + random.Next(26)), random.Next(0, 300)), executable: i % 11 == 0);
        }
        tree.Write("single.txt", "one file");
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static")
            .WithLayer(Layers.SourceFolder(tree.Path_("src"), "/app") with { ChunkBytes = 20_000 })
            .WithLayer(Layers.SourceFile(tree.Path_("single.txt"), "/etc/single.txt"));
        var uncached = ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(), Fixed);
        var cache = tree.Path_("obj/hashes.bin");
        var cold = Run(image, cache, out _);
        var warm = Run(image, cache, out var hasher);
        Assert.AreEqual(2, hasher.LayerManifests!.Hits);
        foreach (var identity in new[] { cold, warm })
        {
            Assert.AreEqual(uncached.CanonicalJson, identity.CanonicalJson);
            Assert.AreEqual(uncached.Identifier, identity.Identifier);
            Assert.AreEqual(Manifests(uncached), Manifests(identity));
        }
    }

    private static string Fixed(Image image, ContextPlan plan) => "# fixed\n";

    private static ImageIdentity Run(Image image, string cache, out FileHasher hasher)
    {
        hasher = new FileHasher(cache);
        var identity = ImageIdentifier.Compute(image, ContextPlanner.Plan(image), hasher, Fixed);
        hasher.Save();
        return identity;
    }

    private static string Manifests(ImageIdentity identity)
        => string.Join("\n", identity.Layers.Select(l => $"{l.LayerIndex} {l.Kind} {l.ParameterDigest} " +
            string.Join(",", l.Files.Select(f => $"{f.Path}:{f.Sha256}:{f.Executable}"))));

    private static TempTree Tree(out Image image)
    {
        var tree = new TempTree();
        foreach (var (name, content) in new[] { ("src/a.txt", "aye"), ("src/b.txt", "bee") })
        {
            var path = tree.Write(name, content);
            File.SetLastWriteTimeUtc(path, Time);
        }
        image = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithLayer(Layers.SourceFolder(tree.Path_("src"), "/app"));
        return tree;
    }
}
