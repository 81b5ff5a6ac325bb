using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>
/// <see cref="DockerfileWriter.WriteLinked"/>: the chunks after a large folder's first become <c>COPY --link</c> (no
/// --chown: the SDK's rewrite gives them the first chunk's owner) only where the destination's absolute path is known,
/// and the image's own Dockerfile (and so its identifier) stays as it was.
/// </summary>
[TestClass]
public sealed class LinkedChunksTests
{
    private const string Busybox = "127.0.0.1:5000/local/busybox:static";

    private static TempTree Sample()
    {
        var tree = new TempTree();
        for (var i = 0; i < 4; i++) tree.Write($"app/pkg{i}/m{i}.py", new string((char)('a' + i), 1000));
        return tree;
    }

    private static string[] Copies(string text) => text.Split('\n').Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).ToArray();

    [TestMethod]
    public void TheChunksAfterTheFirstAreLinkedAndNamedWithTheirAbsoluteDestination()
    {
        using var tree = Sample();
        var image = Image.FromBase(Busybox).WithLayer(Layers.SourceFolder(tree.Path_("app"), "/srv/app") with { ChunkBytes = 1000 });
        var plan = ContextPlanner.Plan(image);

        var linked = DockerfileWriter.WriteLinked(image, plan, DockerfileOptions.Default);

        Assert.IsNotNull(linked);
        CollectionAssert.AreEqual(new[]
        {
            "COPY [\"layers/0/part0/\", \"/srv/app/\"]",
            "COPY --link [\"layers/0/part1/\", \"/srv/app/\"]",
            "COPY --link [\"layers/0/part2/\", \"/srv/app/\"]",
            "COPY --link [\"layers/0/part3/\", \"/srv/app/\"]",
        }, Copies(linked.Text));
        CollectionAssert.AreEqual(
            Enumerable.Range(1, 3).Select(k => new LinkedChunk($"layers/0/part{k}/", "/srv/app/", "layers/0/part0/")).ToArray(),
            linked.Chunks.ToArray());
        Assert.IsFalse(DockerfileWriter.Write(image, plan).Contains("--link", StringComparison.Ordinal), "the image's own Dockerfile never links");
    }

    [TestMethod]
    public void OnADebianBaseTheFirstChunkIsChownedAndARelativeDestinationResolvesFromTheHome()
    {
        using var tree = Sample();
        var image = Image.FromDebianBase().WithLayer(Layers.SourceFolder(tree.Path_("app"), "src") with { ChunkBytes = 1000 });
        var linked = DockerfileWriter.WriteLinked(image, ContextPlanner.Plan(image), DockerfileOptions.Default)!;

        var copies = Copies(linked.Text).Where(c => c.Contains("layers/", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual("COPY --chown=app:app [\"layers/0/part0/\", \"src/\"]", copies[0]);
        Assert.IsTrue(copies.Skip(1).All(c => c.StartsWith("COPY --link [\"layers/0/part", StringComparison.Ordinal)), string.Join('\n', copies));
        Assert.IsTrue(linked.Chunks.All(c => c.Destination == "/home/app/src/"), string.Join('\n', linked.Chunks));
    }

    [TestMethod]
    [DataRow("/opt", "x/y", "/opt/x/y/")]
    [DataRow("/opt/", ".", "/opt/")]
    [DataRow("/opt", "/abs/./dest", "/abs/dest/")]
    public void WorkdirLayersBeforeTheFolderDecideItsDestination(string workdir, string destination, string expected)
    {
        using var tree = Sample();
        var image = Image.FromBase(Busybox).WithWorkdir("/base").WithWorkdir(workdir)
            .WithLayer(Layers.SourceFolder(tree.Path_("app"), destination) with { ChunkBytes = 1000 });
        var linked = DockerfileWriter.WriteLinked(image, ContextPlanner.Plan(image), DockerfileOptions.Default)!;
        Assert.AreEqual(expected, linked.Chunks[0].Destination);
    }

    [TestMethod]
    [DataRow(".")]
    [DataRow("app")]
    public void NothingIsLinkedWhereTheDestinationIsNotKnown(string destination)
    {
        using var tree = Sample();
        // An existing image's own WORKDIR is in its config, not in the model.
        var image = Image.FromBase(Busybox).WithLayer(Layers.SourceFolder(tree.Path_("app"), destination) with { ChunkBytes = 1000 });
        Assert.IsNull(DockerfileWriter.WriteLinked(image, ContextPlanner.Plan(image), DockerfileOptions.Default));
    }

    [TestMethod]
    public void AFolderInOneChunkHasNothingToLink()
    {
        using var tree = Sample();
        var image = Image.FromBase(Busybox).WithLayer(Layers.SourceFolder(tree.Path_("app"), "/srv/app"));
        Assert.IsNull(DockerfileWriter.WriteLinked(image, ContextPlanner.Plan(image), DockerfileOptions.Default));
    }
}
