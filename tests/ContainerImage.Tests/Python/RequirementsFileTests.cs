using ContainerImage.Diagnostics;
using ContainerImage.Python;

namespace ContainerImage.Tests.Python;

[TestClass]
public sealed class RequirementsFileTests
{
    private static string[] Relative(TempFolder folder, IReadOnlyList<string> files)
        => files.Select(f => Path.GetRelativePath(folder.Root, f).Replace('\\', '/')).ToArray();

    private static ImageDefinitionException CollectFails(TempFolder folder, string main)
    {
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => RequirementsFile.CollectFiles(folder.PathOf(main)));
        Assert.AreEqual(DiagnosticCodes.InvalidRequirementsFile, e.Code, e.Message);
        return e;
    }

    [TestMethod]
    public void FollowsIncludesThreeDeepThroughParentFolders()
    {
        using var folder = new TempFolder();
        folder.Write("app/requirements.txt", "flask==3.0.0\n-r ../common/base.txt\n");
        folder.Write("common/base.txt", "--requirement=../shared/deep/core.txt\nrequests\n");
        folder.Write("shared/deep/core.txt", "-c../../constraints/pins.txt\nurllib3\n");
        folder.Write("constraints/pins.txt", "urllib3<3\n");
        var files = RequirementsFile.CollectFiles(folder.PathOf("app/requirements.txt"));
        CollectionAssert.AreEqual(
            new[] { "app/requirements.txt", "common/base.txt", "shared/deep/core.txt", "constraints/pins.txt" },
            Relative(folder, files));
        Assert.IsTrue(files.All(Path.IsPathFullyQualified));
    }

    [TestMethod]
    public void AcceptsEveryOptionFormPipAccepts()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", string.Join("\n",
            "-r a.txt", "-rb.txt", "--requirement c.txt", "--requirement=d.txt", "-c e.txt", "-cf.txt",
            "--constraint g.txt", "--constraint=h.txt", "--requirem i.txt", "--cons=j.txt", "-r \"with space.txt\"",
            "-r 'single quoted.txt'", "--index-url https://example.invalid/simple -r k.txt", "--pre --requirement l.txt", ""));
        var names = new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "with space", "single quoted", "k", "l" };
        foreach (var name in names) folder.Write(name + ".txt", "six\n");
        var files = RequirementsFile.CollectFiles(folder.PathOf("main.txt"));
        CollectionAssert.AreEqual(new[] { "main.txt" }.Concat(names.Select(n => n + ".txt")).ToArray(), Relative(folder, files));
    }

    [TestMethod]
    public void AnAmbiguousAbbreviationIsNotTakenForAnInclude()
    {
        // optparse refuses '--requ' (requirement or require-hashes) and '--con' (constraint or
        // config-settings), so pip includes nothing there; neither do we.
        using var folder = new TempFolder();
        folder.Write("main.txt", "--requ missing.txt\n--con=missing.txt\n");
        CollectionAssert.AreEqual(new[] { "main.txt" }, Relative(folder, RequirementsFile.CollectFiles(folder.PathOf("main.txt"))));
    }

    [TestMethod]
    public void ASharedIncludeIsListedOnce()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", "-r a.txt\n-r b.txt\n-r ./a.txt\n");
        folder.Write("a.txt", "-c shared.txt\n");
        folder.Write("b.txt", "-r sub/../shared.txt\n");
        folder.Write("shared.txt", "attrs\n");
        CollectionAssert.AreEqual(new[] { "main.txt", "a.txt", "shared.txt", "b.txt" },
            Relative(folder, RequirementsFile.CollectFiles(folder.PathOf("main.txt"))));
    }

    [TestMethod]
    public void ACycleIsRefusedAndShown()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", "-r a.txt\n");
        folder.Write("a.txt", "-r sub/b.txt\n");
        folder.Write("sub/b.txt", "-r ../a.txt\n");
        var e = CollectFails(folder, "main.txt");
        StringAssert.Contains(e.Message, "a.txt -> b.txt -> a.txt");
        StringAssert.Contains(e.Message, folder.PathOf("sub/b.txt"));
    }

    [TestMethod]
    public void ASelfIncludeIsACycle()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", "-r main.txt\n");
        StringAssert.Contains(CollectFails(folder, "main.txt").Message, "cycle");
    }

    [TestMethod]
    public void ContinuationLinesAreJoinedAsPipJoinsThem()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", "-r \\\n  cont.txt\n--constraint\\\n=glued.txt\n");
        folder.Write("cont.txt", "");
        folder.Write("glued.txt", "");
        CollectionAssert.AreEqual(new[] { "main.txt", "cont.txt", "glued.txt" },
            Relative(folder, RequirementsFile.CollectFiles(folder.PathOf("main.txt"))));
    }

    [TestMethod]
    public void CommentsAreRemovedAsPipRemovesThem()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", string.Join("\n",
            "# -r commented.txt",
            "   # -r indented-comment.txt",
            "-r real.txt # -r trailing.txt",
            "# a comment line ending in a backslash does not continue \\",
            "-r next.txt",
            "requests==2.31.0 # -r in-a-requirement-comment.txt",
            "-r hash#name.txt",
            ""));
        folder.Write("real.txt", "");
        folder.Write("next.txt", "");
        folder.Write("hash#name.txt", "");
        CollectionAssert.AreEqual(new[] { "main.txt", "real.txt", "next.txt", "hash#name.txt" },
            Relative(folder, RequirementsFile.CollectFiles(folder.PathOf("main.txt"))));
    }

    [TestMethod]
    public void RequirementLinesCannotInclude()
    {
        // pip reads options after a requirement as per-requirement options; -r there includes nothing.
        using var folder = new TempFolder();
        folder.Write("main.txt", "attrs --hash=sha256:0000 -r missing.txt\n");
        CollectionAssert.AreEqual(new[] { "main.txt" }, Relative(folder, RequirementsFile.CollectFiles(folder.PathOf("main.txt"))));
    }

    [TestMethod]
    public void CrlfFilesWork()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", "-r a.txt\r\n-r \\\r\nb.txt\r\n");
        folder.Write("a.txt", "");
        folder.Write("b.txt", "");
        CollectionAssert.AreEqual(new[] { "main.txt", "a.txt", "b.txt" },
            Relative(folder, RequirementsFile.CollectFiles(folder.PathOf("main.txt"))));
    }

    [TestMethod]
    public void AMissingIncludeNamesTheIncluderTheIncludeAndTheLine()
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", "attrs\n\n-r sub/nope.txt\n");
        var e = CollectFails(folder, "main.txt");
        StringAssert.Contains(e.Message, folder.PathOf("main.txt"));
        StringAssert.Contains(e.Message, "'sub/nope.txt'");
        StringAssert.Contains(e.Message, "does not exist");
        StringAssert.Contains(e.Message, "line 3");
    }

    [TestMethod]
    [DataRow("-r ${REQS_DIR}/base.txt", "environment variable")]
    [DataRow("-r https://example.invalid/reqs.txt", "is a URL")]
    [DataRow("-c file:///tmp/c.txt", "is a URL")]
    [DataRow("-r /etc/reqs.txt", "absolute path")]
    [DataRow("-r sub", "is a folder")]
    [DataRow("-r", "is empty")]
    [DataRow("-r \"unclosed.txt", "unclosed double quote")]
    public void UnreproducibleIncludesAreRefused(string line, string expected)
    {
        using var folder = new TempFolder();
        folder.Write("main.txt", line + "\n");
        Directory.CreateDirectory(folder.PathOf("sub"));
        StringAssert.Contains(CollectFails(folder, "main.txt").Message, expected);
    }

    [TestMethod]
    public void AMissingMainFileIsFileNotFound()
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => RequirementsFile.CollectFiles(folder.PathOf("none.txt")));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, e.Code);
    }
}
