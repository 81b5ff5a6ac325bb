using System.Security.Cryptography;
using System.Text;
using ContainerImage.Context;

namespace ContainerImage.Tests.Context;

[TestClass]
public sealed class FileHasherTests
{
    private static ContextFile Describe(string path) => new(path, "x", "x", false, new FileInfo(path).Length, File.GetLastWriteTimeUtc(path));

    private static string Expected(string content) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content))).ToLowerInvariant();

    [TestMethod]
    public void HashesAreSha256OfContentInTheGivenOrder()
    {
        using var tree = new TempTree();
        var big = new string('z', 3 * 1024 * 1024 + 17); // spans several read buffers
        var files = new[] { tree.Write("a", "alpha"), tree.Write("b", ""), tree.Write("c", big) }.Select(Describe).ToList();

        var hashes = new FileHasher().Hash(files);

        CollectionAssert.AreEqual(new[] { Expected("alpha"), Expected(""), Expected(big) }, hashes.ToArray());
    }

    [TestMethod]
    public void FilesAroundTheReadBufferSizeHashAsTheirContent()
    {
        // Files that fit the 1 MiB read buffer are hashed in one call, larger ones incrementally: both sides of
        // the boundary, and the boundary itself, give the SHA-256 of the content.
        using var tree = new TempTree();
        var contents = new[] { (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 2 << 20 }
            .Select(size => string.Create(size, size, (span, n) => { for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + (i * 7 + n) % 26); }))
            .ToList();
        var files = contents.Select((content, i) => Describe(tree.Write("f" + i, content))).ToList();

        var hashes = new FileHasher().Hash(files);

        CollectionAssert.AreEqual(contents.Select(Expected).ToArray(), hashes.ToArray());
    }

    [TestMethod]
    public void TheCacheIsReusedUntilSizeOrTimeChanges()
    {
        using var tree = new TempTree();
        var cache = tree.Path_("obj/hashes.bin");
        var path = tree.Write("a.txt", "one");
        var first = new FileHasher(cache);
        Assert.AreEqual(Expected("one"), first.HashFile(path));
        first.Save();

        var second = new FileHasher(cache);
        Assert.AreEqual(Expected("one"), second.HashFile(path));
        Assert.AreEqual(0, second.FilesRead, "an unchanged file is served from the cache");

        // Same size, new time: re-read.
        File.WriteAllText(path, "two");
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        Assert.AreEqual(Expected("two"), second.HashFile(path));
        Assert.AreEqual(1, second.FilesRead);

        // Same time, new size: re-read.
        var time = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "three");
        File.SetLastWriteTimeUtc(path, time);
        Assert.AreEqual(Expected("three"), second.HashFile(path));
        Assert.AreEqual(2, second.FilesRead);
    }

    [TestMethod]
    public void SaveWritesOnlyWhenSomethingChangedAndLeavesNoTemporaryFiles()
    {
        using var tree = new TempTree();
        var cache = tree.Path_("obj/hashes.bin");
        var path = tree.Write("a.txt", "one");
        var hasher = new FileHasher(cache);
        hasher.HashFile(path);
        hasher.Save();
        var written = File.GetLastWriteTimeUtc(cache);
        File.SetLastWriteTimeUtc(cache, written.AddHours(-1));

        var again = new FileHasher(cache);
        again.HashFile(path);
        again.Save();

        Assert.AreEqual(written.AddHours(-1), File.GetLastWriteTimeUtc(cache), "an unchanged cache is not rewritten");
        CollectionAssert.AreEqual(new[] { "hashes.bin" }, Directory.GetFiles(tree.Path_("obj")).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void ADamagedCacheIsIgnored()
    {
        using var tree = new TempTree();
        var cache = tree.Write("obj/hashes.bin", "CIMGFH01\u0005garbage");
        var path = tree.Write("a.txt", "one");
        var hasher = new FileHasher(cache);
        Assert.AreEqual(Expected("one"), hasher.HashFile(path));
        Assert.AreEqual(1, hasher.FilesRead);
    }

    [TestMethod]
    public void ManyFilesHashInParallelAndTheCacheLoadsFast()
    {
        using var tree = new TempTree();
        var files = Enumerable.Range(0, 2000).Select(i => Describe(tree.Write($"d{i % 20}/f{i}.txt", "content " + i))).ToList();
        var cache = tree.Path_("obj/hashes.bin");
        var hasher = new FileHasher(cache);
        var hashes = hasher.Hash(files);
        hasher.Save();
        for (var i = 0; i < files.Count; i += 199) Assert.AreEqual(Expected("content " + i), hashes[i]);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reloaded = new FileHasher(cache);
        var load = watch.Elapsed;
        CollectionAssert.AreEqual(hashes.ToArray(), reloaded.Hash(files).ToArray());
        Assert.AreEqual(0, reloaded.FilesRead);
        Assert.IsLessThan(TimeSpan.FromMilliseconds(500), load, $"loading 2000 entries took {load}");
    }

    [TestMethod]
    public void AFileChangedBetweenPlanAndHashIsReadAgainOnTheNextRun()
    {
        using var tree = new TempTree();
        var cache = tree.Path_("obj/hashes.bin");
        var path = tree.Write("a.txt", "one");
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var planned = Describe(path);
        // Edited after the walk recorded its size and time, before the hasher reads it.
        File.WriteAllText(path, "two");
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc));

        var first = new FileHasher(cache);
        Assert.AreEqual(Expected("two"), first.Hash([planned])[0]);
        first.Save();

        // The next run's walk sees the new time, which is not the one cached with the hash: read again.
        var second = new FileHasher(cache);
        Assert.AreEqual(Expected("two"), second.Hash([Describe(path)])[0]);
        Assert.AreEqual(1, second.FilesRead);
        second.Save();
        var third = new FileHasher(cache);
        Assert.AreEqual(Expected("two"), third.Hash([Describe(path)])[0]);
        Assert.AreEqual(0, third.FilesRead);
    }

    [TestMethod]
    public void AFileWithoutAPlannedTimeIsStatted()
    {
        using var tree = new TempTree();
        var cache = tree.Path_("obj/hashes.bin");
        var path = tree.Write("Dockerfile", "FROM a");
        var synthetic = new ContextFile(path, "", "", false, 0, default);
        var first = new FileHasher(cache);
        Assert.AreEqual(Expected("FROM a"), first.Hash([synthetic])[0]);
        first.Save();
        File.WriteAllText(path, "FROM bb");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.AreEqual(Expected("FROM bb"), new FileHasher(cache).Hash([synthetic])[0]);
    }
}
