using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

/// <summary>How a large SourceFolder is split into chunks (one COPY each), and how the plan lays the chunks out.</summary>
[TestClass]
public sealed class FolderChunksTests
{
    [TestMethod]
    [DataRow(0L)]
    [DataRow(-1L)]
    [DataRow(50L)]
    [DataRow(1000L)]
    public void AFolderNoLargerThanTheChunkSizeOrWithSplittingOffIsNotSplit(long chunkBytes)
        => Assert.IsNull(FolderChunks.Assign([10, 10, 10, 10, 10], chunkBytes));

    [TestMethod]
    public void ChunksCloseOnceFullInPathOrder()
        => CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2 }, FolderChunks.Assign([10, 10, 10, 10, 10], 20));

    [TestMethod]
    public void ASmallLastChunkJoinsThePreviousOne()
        => CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 1 }, FolderChunks.Assign([10, 10, 10, 10, 1], 20));

    [TestMethod]
    public void WhenJoiningLeavesOneChunkTheFolderIsNotSplit()
        => Assert.IsNull(FolderChunks.Assign([30, 1], 20));

    [TestMethod]
    public void ChunkIndexesStartAtZeroAndNeverSkip()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var lengths = Enumerable.Range(0, random.Next(1, 60)).Select(_ => (long)random.Next(0, 1000)).ToList();
            var chunks = FolderChunks.Assign(lengths, random.Next(1, 5000));
            if (chunks is null) continue;
            Assert.AreEqual(0, chunks[0]);
            for (var i = 1; i < chunks.Length; i++) Assert.IsTrue(chunks[i] == chunks[i - 1] || chunks[i] == chunks[i - 1] + 1, $"round {round}: {string.Join(',', chunks)}");
            Assert.IsTrue(chunks[^1] > 0);
        }
    }

    [TestMethod]
    public void TheSplitPlanKeepsEveryFileAndRelativePathAndPutsEachUnderItsPart()
    {
        using var tree = new TempTree();
        for (var i = 0; i < 12; i++) tree.Write($"app/d{i % 3}/f{i:00}.txt", new string('x', 100));
        var whole = Layers.SourceFolder(tree.Path_("app"), "/srv/app");
        var plain = ContextPlanner.Plan(Image.FromBase("127.0.0.1:5000/local/busybox:static").WithLayer(whole)).ForLayer(0)!;
        var split = ContextPlanner.Plan(Image.FromBase("127.0.0.1:5000/local/busybox:static").WithLayer(whole with { ChunkBytes = 300 })).ForLayer(0)!;

        Assert.AreEqual(0, plain.Parts.Count);
        CollectionAssert.AreEqual(new[] { "layers/0/part0", "layers/0/part1", "layers/0/part2", "layers/0/part3" }, split.Parts.ToArray());
        CollectionAssert.AreEqual(plain.Files.Select(f => (f.SourcePath, f.RelativePath)).ToArray(), split.Files.Select(f => (f.SourcePath, f.RelativePath)).ToArray());
        foreach (var file in split.Files)
        {
            Assert.IsTrue(split.Parts.Any(p => file.ContextPath == p + "/" + file.RelativePath), file.ContextPath);
        }
        // Path order: the first three files (d0/f00, d0/f03, d0/f06) fill the first chunk.
        CollectionAssert.AreEqual(new[] { "d0/f00.txt", "d0/f03.txt", "d0/f06.txt" },
            split.Files.Where(f => f.ContextPath.StartsWith("layers/0/part0/", StringComparison.Ordinal)).Select(f => f.RelativePath).ToArray());
    }

    [TestMethod]
    public void TheDefaultChunkSizeLeavesOrdinaryFoldersInOneCopy()
    {
        using var tree = new TempTree();
        tree.Write("app/main.py", "print(1)");
        var layer = Layers.SourceFolder(tree.Path_("app"));
        Assert.AreEqual(SourceFolderLayer.DefaultChunkBytes, layer.ChunkBytes);
        Assert.AreEqual(128L << 20, layer.ChunkBytes);
        Assert.AreEqual(0, ContextPlanner.Plan(Image.FromBase("127.0.0.1:5000/local/busybox:static").WithLayer(layer)).ForLayer(0)!.Parts.Count);
    }

    [TestMethod]
    public void TheContextWriterLaysOutTheParts()
    {
        using var tree = new TempTree();
        for (var i = 0; i < 6; i++) tree.Write($"app/f{i}.txt", new string('y', 100));
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithLayer(Layers.SourceFolder(tree.Path_("app")) with { ChunkBytes = 200 });
        var context = tree.Folder("ctx");
        ContextWriter.Write(ContextPlanner.Plan(image), context);
        var written = Directory.EnumerateFiles(Path.Combine(context, "layers"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(context, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "layers/0/part0/f0.txt", "layers/0/part0/f1.txt", "layers/0/part1/f2.txt", "layers/0/part1/f3.txt",
            "layers/0/part2/f4.txt", "layers/0/part2/f5.txt",
        }, written);
    }
}
