using System.Formats.Tar;
using System.Security.Cryptography;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>
/// A SourceFolder split into chunks: one COPY per chunk into the same destination, and, with the real
/// engine, an image whose files (paths, types, modes, owners, contents) are exactly those of the one-COPY image.
/// </summary>
[TestClass]
public sealed class ChunkedFolderTests
{
    private const string Busybox = "127.0.0.1:5000/local/busybox:static";

    [TestMethod]
    public void ASplitFolderIsOneCopyPerChunkInOrderIntoTheSameDestination()
    {
        using var tree = Sample();
        var image = Image.FromBase(Busybox).WithLayer(Layers.SourceFolder(tree.Path_("app"), "/srv/app") with { ChunkBytes = 1000 });
        var text = DockerfileWriter.Write(image, ContextPlanner.Plan(image));
        var copies = text.Split('\n').Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).ToArray();
        var expected = Enumerable.Range(0, 6).Select(k => $"COPY [\"layers/0/part{k}/\", \"/srv/app/\"]").ToArray();
        CollectionAssert.AreEqual(expected, copies);
    }

    [TestMethod]
    public void ADebianImageChownsEveryChunk()
    {
        using var tree = Sample();
        var image = Image.FromDebianBase().WithLayer(Layers.SourceFolder(tree.Path_("app")) with { ChunkBytes = 1000 });
        var copies = DockerfileWriter.Write(image, ContextPlanner.Plan(image)).Split('\n').Where(l => l.StartsWith("COPY [\"layers", StringComparison.Ordinal) || l.StartsWith("COPY --chown", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(6, copies.Length, string.Join('\n', copies));
        Assert.IsTrue(copies.All(c => c.StartsWith("COPY --chown=app:app [\"layers/", StringComparison.Ordinal)), string.Join('\n', copies));
    }

    [TestMethod]
    [TestCategory("Engine")]
    public void TheChunkedImageHasExactlyTheFilesOfTheOneCopyImage()
    {
        DockerCli.RequireEngine();
        using var tree = Sample();
        var whole = Filesystem(tree, "whole", Layers.SourceFolder(tree.Path_("app"), "/srv/deep/app"));
        var split = Filesystem(tree, "split", Layers.SourceFolder(tree.Path_("app"), "/srv/deep/app") with { ChunkBytes = 1000 });

        Assert.IsTrue(whole.Keys.Count(k => k.StartsWith("srv/deep/app/", StringComparison.Ordinal)) >= 9, string.Join('\n', whole.Keys));
        CollectionAssert.AreEqual(whole.Keys.Order(StringComparer.Ordinal).ToArray(), split.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var (path, entry) in whole) Assert.AreEqual(entry, split[path], path);
    }

    // Six chunks of 1000 bytes (two 500-byte files, then single files) in folders with different modes, one file executable.
    internal static TempTree Sample()
    {
        var tree = new TempTree();
        for (var i = 0; i < 6; i++) tree.Write($"app/pkg{i % 2}/m{i}.py", new string((char)('a' + i), 500));
        tree.Write("app/run.sh", "#!/bin/sh\n" + new string('#', 990), executable: true);
        tree.Write("app/private/key.txt", new string('k', 1000));
        tree.Write("app/zz.txt", new string('z', 1000));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tree.Path_("app/private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return tree;
    }

    // The image's final filesystem (buildx's tar output) as path -> "type mode uid:gid sha256".
    private static Dictionary<string, string> Filesystem(TempTree tree, string name, SourceFolderLayer layer)
    {
        var image = Image.FromBase(Busybox).WithLayer(layer);
        var plan = ContextPlanner.Plan(image);
        var context = tree.Folder("ctx-" + name);
        ContextWriter.Write(plan, context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), DockerfileWriter.Write(image, plan));
        var output = Path.Combine(tree.Root, name + ".tar");
        DockerCli.Run("buildx", "build", "--quiet", "--output", "type=tar,dest=" + output, context);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(output));
        while (reader.GetNextEntry() is { } entry)
        {
            var hash = entry.DataStream is { } data ? Convert.ToHexString(SHA256.HashData(data)) : "";
            entries[entry.Name.TrimEnd('/')] = $"{entry.EntryType} {Convert.ToString((int)entry.Mode, 8)} {entry.Uid}:{entry.Gid} {hash}";
        }
        return entries;
    }
}
