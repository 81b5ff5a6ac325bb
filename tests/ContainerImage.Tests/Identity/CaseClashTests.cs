using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>
/// File names that differ only in case (<c>B.py</c> and <c>b.py</c>, both possible on Linux): two files
/// everywhere — in the context, in the identifier — and the ignore rules tell them apart, as BuildKit does.
/// </summary>
[TestClass]
public sealed class CaseClashTests
{
    private static string FixedDockerfile(Image image, ContextPlan plan) => "FROM fixed\n";

    private static Image Define(TempTree tree) => Image.FromBase("127.0.0.1:5000/local/busybox:static").WithSourceFolder(tree.Path_("app"), "/app");

    [TestMethod]
    public void SwappingTheContentOfTwoNamesThatDifferInCaseChangesTheIdentifier()
    {
        using var tree = new TempTree();
        tree.Write("app/B.py", "upper");
        tree.Write("app/b.py", "lower");
        var before = ImageIdentifier.Compute(Define(tree), FixedDockerfile).Identifier;

        tree.Write("app/B.py", "lower");
        tree.Write("app/b.py", "upper");

        Assert.AreNotEqual(before, ImageIdentifier.Compute(Define(tree), FixedDockerfile).Identifier);
    }

    [TestMethod]
    public void AnIgnoreRuleMatchesOnlyItsOwnCase()
    {
        using var tree = new TempTree();
        tree.Write("app/B.py", "upper");
        tree.Write("app/b.py", "lower");
        tree.Write("app/.dockerignore", "b.py\n");
        var image = Define(tree).WithDockerIgnore(tree.Path_("app/.dockerignore"));

        var files = ContextPlanner.Plan(image).ForLayer(0)!.Files.Select(f => f.RelativePath).ToArray();

        CollectionAssert.AreEqual(new[] { ".dockerignore", "B.py" }, files);
    }
}
