using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

/// <summary>
/// Requirements and uv project layers, planned with fake readers (the real include and lock readers
/// belong to the Python concern and are tested there).
/// </summary>
[TestClass]
public sealed class PythonInputPlanningTests
{
    private static PythonInputs Fake(TempTree tree, string[] includes, string[]? pins = null) => new(
        main => [main, .. includes.Select(tree.Path_)],
        (_, _) => pins ?? []);

    [TestMethod]
    public void RequirementsAndIncludesAreStagedRelativeToTheirCommonFolder()
    {
        using var tree = new TempTree();
        var main = tree.Write("proj/reqs/requirements.txt", "-r base.txt\n-c ../constraints/c.txt\n");
        tree.Write("proj/reqs/base.txt", "requests\n");
        tree.Write("proj/constraints/c.txt", "requests==2.32.3\n");
        var image = Image.FromDebianBase().WithEnvVars([new("A", "1")]).WithRequirements(main);
        var python = Fake(tree, ["proj/reqs/base.txt", "proj/constraints/c.txt"]);

        var layer = ContextPlanner.Plan(image, python).ForLayer(1)!;

        Assert.AreEqual("reqs/requirements.txt", layer.EntryPath);
        CollectionAssert.AreEqual(new[] { "constraints/c.txt", "reqs/base.txt", "reqs/requirements.txt" }, layer.Files.Select(f => f.RelativePath).ToArray());
        CollectionAssert.AreEqual(new[] { "layers/1/constraints/c.txt", "layers/1/reqs/base.txt", "layers/1/reqs/requirements.txt" },
            layer.Files.Select(f => f.ContextPath).ToArray());
    }

    [TestMethod]
    public void AnIncludedFilesContentChangesTheIdentifier()
    {
        using var tree = new TempTree();
        var main = tree.Write("r/requirements.txt", "-r base.txt\n");
        tree.Write("r/base.txt", "requests\n");
        var image = Image.FromDebianBase().WithRequirements(main);
        var python = Fake(tree, ["r/base.txt"]);
        string Id() => ImageIdentifier.Compute(image, ContextPlanner.Plan(image, python), null, (_, _) => "FROM fixed").Identifier;

        var before = Id();
        tree.Write("r/base.txt", "requests==2.0\n");

        Assert.AreNotEqual(before, Id());
    }

    [TestMethod]
    public void PipModeUvProjectsCarryTheLockPinsAndThePinsChangeTheIdentifier()
    {
        using var tree = new TempTree();
        var pyproject = tree.Write("p/pyproject.toml", "[project]\nname='x'\n");
        tree.Write("p/uv.lock", "version = 1\n");
        var image = Image.FromDebianBase().WithPythonInstaller(PythonInstaller.Pip).WithUvProject(pyproject);
        var one = ContextPlanner.Plan(image, Fake(tree, [], ["requests==2.32.3"]));
        var two = ContextPlanner.Plan(image, Fake(tree, [], ["requests==2.32.4"]));
        var uvMode = ContextPlanner.Plan(image.WithPythonInstaller(PythonInstaller.Uv), Fake(tree, [], ["requests==2.32.3"]));

        CollectionAssert.AreEqual(new[] { "requests==2.32.3" }, one.ForLayer(0)!.LockedRequirements.ToArray());
        Assert.AreEqual(0, uvMode.ForLayer(0)!.LockedRequirements.Count, "uv reads uv.lock itself");
        Assert.AreNotEqual(
            ImageIdentifier.Compute(image, one, null, (_, _) => "FROM fixed").Identifier,
            ImageIdentifier.Compute(image, two, null, (_, _) => "FROM fixed").Identifier);
    }
}
