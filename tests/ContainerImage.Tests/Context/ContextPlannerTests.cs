using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

[TestClass]
public sealed class ContextPlannerTests
{
    private static Image Base() => Image.FromBase("127.0.0.1:5000/local/debian:bookworm");

    [TestMethod]
    public void SourceFolderFilesAreSortedOrdinallyWithExecBitsAndLayerPaths()
    {
        using var tree = new TempTree();
        tree.Write("app/b.py", "b");
        tree.Write("app/a-c.py", "ac");
        tree.Write("app/a/x.py", "x");
        tree.Write("app/B.py", "B");
        tree.Write("app/run.sh", "#!/bin/sh", executable: true);
        var image = Base().WithEnvVars([new("A", "1")]).WithSourceFolder(tree.Path_("app"), "/srv/app");

        var plan = ContextPlanner.Plan(image);

        var layer = plan.ForLayer(1)!;
        Assert.IsNull(plan.ForLayer(0));
        Assert.AreEqual("layers/1", layer.ContextDirectory);
        Assert.IsNull(layer.EntryPath);
        CollectionAssert.AreEqual(new[] { "B.py", "a-c.py", "a/x.py", "b.py", "run.sh" }, layer.Files.Select(f => f.RelativePath).ToArray());
        CollectionAssert.AreEqual(new[] { "layers/1/B.py", "layers/1/a-c.py", "layers/1/a/x.py", "layers/1/b.py", "layers/1/run.sh" },
            layer.Files.Select(f => f.ContextPath).ToArray());
        Assert.AreEqual(!OperatingSystem.IsWindows(), layer.Files.Single(f => f.RelativePath == "run.sh").IsExecutable);
        Assert.IsFalse(layer.Files.Single(f => f.RelativePath == "b.py").IsExecutable);
        Assert.AreEqual(1, layer.Files.Single(f => f.RelativePath == "b.py").Length);
    }

    [TestMethod]
    public void EveryDockerIgnoreLayerAppliesRelativeToItsFolderWhereverItIsDeclared()
    {
        using var tree = new TempTree();
        tree.Write("proj/app/main.py", "m");
        tree.Write("proj/app/debug.log", "d");
        tree.Write("proj/app/tests/t.py", "t");
        tree.Write("proj/app/tests/keep.py", "k");
        tree.Write("proj/.dockerignore", "**/*.log\napp/tests\n");
        tree.Write("proj/app/.dockerignore", "!tests/keep.py\n.dockerignore\n");
        var image = Base()
            .WithSourceFolder(tree.Path_("proj/app"), "/srv/app")
            .WithDockerIgnore(tree.Path_("proj/.dockerignore"))
            .WithDockerIgnore(tree.Path_("proj/app/.dockerignore"));

        var files = ContextPlanner.Plan(image).ForLayer(0)!.Files.Select(f => f.RelativePath).ToArray();

        CollectionAssert.AreEqual(new[] { "main.py", "tests/keep.py" }, files);
    }

    [TestMethod]
    public void FilesOutsideTheDockerIgnoreFolderAreNotAffected()
    {
        using var tree = new TempTree();
        tree.Write("other/x.log", "x");
        tree.Write("proj/.dockerignore", "*.log\nx.log\n**");
        var image = Base().WithDockerIgnore(tree.Path_("proj/.dockerignore")).WithSourceFolder(tree.Path_("other"), "/o");

        CollectionAssert.AreEqual(new[] { "x.log" }, ContextPlanner.Plan(image).ForLayer(1)!.Files.Select(f => f.RelativePath).ToArray());
    }

    [TestMethod]
    public void SourceFileKeepsItsNameIntoAFolderAndIsCalledFileOtherwise()
    {
        using var tree = new TempTree();
        var source = tree.Write("tool.sh", "echo", executable: true);
        var plan = ContextPlanner.Plan(Base().WithSourceFile(source).WithSourceFile(source, "/opt/").WithSourceFile(source, "/usr/bin/tool"));

        Assert.AreEqual("layers/0/tool.sh", plan.ForLayer(0)!.EntryPath);
        Assert.AreEqual("layers/1/tool.sh", plan.ForLayer(1)!.EntryPath);
        Assert.AreEqual("layers/2/file", plan.ForLayer(2)!.EntryPath);
        Assert.AreEqual("file", plan.ForLayer(2)!.Files.Single().RelativePath);
        Assert.AreEqual(source, plan.ForLayer(2)!.Files.Single().SourcePath);
    }

    [TestMethod]
    public void AnIgnoredSourceFileIsACodedErrorForItsLayer()
    {
        using var tree = new TempTree();
        var source = tree.Write("secret.env", "x");
        tree.Write(".dockerignore", "*.env");
        var image = Base().WithDockerIgnore(tree.Path_(".dockerignore")).WithSourceFile(source);

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(image));

        Assert.AreEqual(DiagnosticCodes.SourceFileIgnored, error.Code);
        Assert.AreEqual(1, error.LayerIndex);
    }

    [TestMethod]
    public void LinksInsideTheFolderAreCopiedAsContent()
    {
        if (OperatingSystem.IsWindows()) return; // creating links needs privileges there
        using var tree = new TempTree();
        var real = tree.Write("app/lib/real.py", "content");
        tree.Link("app/alias.py", "lib/real.py");
        tree.Link("app/libalias", "lib");

        var files = ContextPlanner.Plan(Base().WithSourceFolder(tree.Path_("app"))).ForLayer(0)!.Files;

        CollectionAssert.AreEqual(new[] { "alias.py", "lib/real.py", "libalias/real.py" }, files.Select(f => f.RelativePath).ToArray());
        Assert.IsTrue(files.All(f => f.SourcePath == real), "every link resolves to the real file");
    }

    [TestMethod]
    public void LinksLeavingTheFolderAreRefused()
    {
        if (OperatingSystem.IsWindows()) return;
        using var tree = new TempTree();
        tree.Write("outside.txt", "x");
        tree.Link("app/out.txt", "../outside.txt");

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(Base().WithSourceFolder(tree.Path_("app"))));

        Assert.AreEqual(DiagnosticCodes.InputOutsideFolder, error.Code);
        Assert.AreEqual(0, error.LayerIndex);
    }

    [TestMethod]
    [DataRow("self", ".")]
    [DataRow("up", "..")]
    public void LinkLoopsAreRefused(string name, string target)
    {
        if (OperatingSystem.IsWindows()) return;
        using var tree = new TempTree();
        tree.Write("app/sub/a.txt", "a");
        tree.Link("app/sub/" + name, target);

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(Base().WithSourceFolder(tree.Path_("app"))));

        Assert.AreEqual(DiagnosticCodes.SymbolicLinkLoop, error.Code);
    }

    [TestMethod]
    public void LinkChainLoopsAreRefused()
    {
        if (OperatingSystem.IsWindows()) return;
        using var tree = new TempTree();
        tree.Link("app/a", "b");
        tree.Link("app/b", "a");

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(Base().WithSourceFolder(tree.Path_("app"))));

        Assert.AreEqual(DiagnosticCodes.SymbolicLinkLoop, error.Code);
    }

    [TestMethod]
    public void DockerfileContextUsesItsOwnIgnoreFileAndTheBesideFileWins()
    {
        using var tree = new TempTree();
        var dockerfile = tree.Write("ctx/Dockerfile", "FROM scratch");
        tree.Write("ctx/a.txt", "a");
        tree.Write("ctx/b.log", "b");
        tree.Write("ctx/.dockerignore", "*.log");
        var image = Image.FromDockerfile(dockerfile);

        var plan = ContextPlanner.Plan(image);
        Assert.AreEqual(tree.Path_("ctx"), plan.ExternalContextDirectory);
        Assert.AreEqual(0, plan.Layers.Count);
        CollectionAssert.AreEqual(new[] { ".dockerignore", "Dockerfile", "a.txt" }, plan.ExternalFiles.Select(f => f.RelativePath).ToArray());
        Assert.AreEqual("a.txt", plan.ExternalFiles[2].ContextPath);

        tree.Write("ctx/Dockerfile.dockerignore", "*.txt\n.dockerignore\nDockerfile*");
        CollectionAssert.AreEqual(new[] { "b.log" }, ContextPlanner.Plan(image).ExternalFiles.Select(f => f.RelativePath).ToArray());
    }

    [TestMethod]
    public void UvProjectFilesHaveFixedNamesAndNoPinsInUvMode()
    {
        using var tree = new TempTree();
        tree.Write("proj/pyproject.toml", "[project]\nname='x'");
        tree.Write("locks/my.lock", "version = 1");
        var image = Base().WithUvProject(tree.Path_("proj/pyproject.toml"), tree.Path_("locks/my.lock"));

        var layer = ContextPlanner.Plan(image).ForLayer(0)!;

        CollectionAssert.AreEqual(new[] { "layers/0/pyproject.toml", "layers/0/uv.lock" }, layer.Files.Select(f => f.ContextPath).ToArray());
        Assert.AreEqual(0, layer.LockedRequirements.Count);
    }

    [TestMethod]
    public void MissingInputsAreCodedErrorsWithTheirLayer()
    {
        using var tree = new TempTree();
        var folder = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(Base().WithEnvVars([new("A", "1")]).WithSourceFolder(tree.Path_("nope"))));
        Assert.AreEqual(DiagnosticCodes.DirectoryNotFound, folder.Code);
        Assert.AreEqual(1, folder.LayerIndex);
        var ignore = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(Base().WithDockerIgnore(tree.Path_(".dockerignore"))));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, ignore.Code);
        Assert.AreEqual(0, ignore.LayerIndex);
        var dockerfile = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(Image.FromDockerfile(tree.Path_("Dockerfile"))));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, dockerfile.Code);
    }
}
