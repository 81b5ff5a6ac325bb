using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

[TestClass]
public sealed class ContextWriterTests
{
    private static string[] ListFiles(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

    [TestMethod]
    public void WritesExactlyThePlanIncrementallyAndLeavesTheDockerfileAlone()
    {
        using var tree = new TempTree();
        tree.Write("app/a.py", "a");
        tree.Write("app/sub/b.py", "bb");
        tree.Write("app/run.sh", "#!/bin/sh", executable: true);
        var context = tree.Folder("obj/context");
        tree.Write("obj/context/Dockerfile", "FROM x");
        tree.Write("obj/context/layers/9/stale.txt", "old");
        var image = Image.FromBase("a/b:1").WithSourceFolder(tree.Path_("app"), "/srv");

        var first = ContextWriter.Write(ContextPlanner.Plan(image), context);

        // Same file system: every file is a hard link, so nothing is copied.
        Assert.AreEqual(new ContextWriteResult(3, 0, 1, 0), first);
        CollectionAssert.AreEqual(new[] { "Dockerfile", "layers/0/a.py", "layers/0/run.sh", "layers/0/sub/b.py" }, ListFiles(context));
        Assert.AreEqual("bb", File.ReadAllText(tree.Path_("obj/context/layers/0/sub/b.py")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreNotEqual((UnixFileMode)0, File.GetUnixFileMode(tree.Path_("obj/context/layers/0/run.sh")) & UnixFileMode.UserExecute);
        }

        var second = ContextWriter.Write(ContextPlanner.Plan(image), context);
        Assert.AreEqual(new ContextWriteResult(0, 3, 0, 0), second);

        // A source replaced (new inode, new time), one removed, one added.
        File.Delete(tree.Path_("app/a.py"));
        tree.Write("app/a.py", "changed");
        File.SetLastWriteTimeUtc(tree.Path_("app/a.py"), DateTime.UtcNow.AddMinutes(1));
        File.Delete(tree.Path_("app/sub/b.py"));
        tree.Write("app/c.py", "c");
        var third = ContextWriter.Write(ContextPlanner.Plan(image), context);

        Assert.AreEqual(2, third.FilesWritten);
        Assert.AreEqual(1, third.FilesUnchanged);
        Assert.AreEqual(1, third.FilesDeleted);
        CollectionAssert.AreEqual(new[] { "Dockerfile", "layers/0/a.py", "layers/0/c.py", "layers/0/run.sh" }, ListFiles(context));
        Assert.AreEqual("changed", File.ReadAllText(tree.Path_("obj/context/layers/0/a.py")));
        Assert.IsFalse(Directory.Exists(tree.Path_("obj/context/layers/0/sub")), "emptied folders are removed");
        Assert.IsFalse(Directory.Exists(tree.Path_("obj/context/layers/9")));
    }

    [TestMethod]
    public void AFolderInTheWayOfAFileIsReplaced()
    {
        using var tree = new TempTree();
        var source = tree.Write("x.txt", "x");
        var context = tree.Folder("ctx");
        tree.Write("ctx/layers/0/x.txt/inner", "old");
        var image = Image.FromBase("a/b:1").WithSourceFile(source);

        var result = ContextWriter.Write(ContextPlanner.Plan(image), context);

        Assert.AreEqual(1, result.FilesWritten);
        Assert.AreEqual("x", File.ReadAllText(tree.Path_("ctx/layers/0/x.txt")));
    }
}
