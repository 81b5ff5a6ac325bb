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
}
