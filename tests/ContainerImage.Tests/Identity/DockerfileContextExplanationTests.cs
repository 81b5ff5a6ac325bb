using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>
/// A Dockerfile image's context is not a declared layer: its file changes are explained under the
/// Dockerfile's name, never as "layer -1".
/// </summary>
[TestClass]
public sealed class DockerfileContextExplanationTests
{
    private static string FixedDockerfile(Image image, ContextPlan plan) => "FROM fixed\n";

    [TestMethod]
    public void AContextFileChangeIsNamedUnderTheDockerfileNotAsLayerMinusOne()
    {
        using var tree = new TempTree();
        tree.Write("docker/Dockerfile", "FROM scratch\nCOPY greeting.txt /\n");
        tree.Write("docker/greeting.txt", "hello");
        tree.Write("docker/.dockerignore", "*.md\n");
        tree.Write("docker/notes.md", "ignored");
        var image = Image.FromDockerfile(tree.Path_("docker/Dockerfile"));
        var before = ImageIdentifier.Compute(image, FixedDockerfile);

        tree.Write("docker/notes.md", "still ignored");
        Assert.AreEqual(0, ImageIdentifier.Compute(image, FixedDockerfile).ExplainChangesSince(before).Count, "an ignored file is not an input");

        tree.Write("docker/greeting.txt", "hello again");
        tree.Write("docker/new.txt", "");
        var changes = ImageIdentifier.Compute(image, FixedDockerfile).ExplainChangesSince(before);
        CollectionAssert.AreEqual(new[]
        {
            "Dockerfile Dockerfile with context docker: greeting.txt changed",
            "Dockerfile Dockerfile with context docker: new.txt added",
        }, changes.Select(c => c.Message).ToArray());
        CollectionAssert.AreEqual(new[] { ImageChange.FileChangedKind, ImageChange.FileAddedKind }, changes.Select(c => c.Kind).ToArray());
        // The data keeps -1 for "the Dockerfile's context" (ImageChange.Layer documents it).
        Assert.IsTrue(changes.All(c => c.Layer == -1));
    }
}
