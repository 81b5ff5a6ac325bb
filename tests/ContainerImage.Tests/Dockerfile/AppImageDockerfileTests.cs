using System.Text.Json;
using ContainerImage.Dockerfile;
using ContainerImage.Model;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>The instructions the app layers, derived images and pinned bases produce.</summary>
[TestClass]
public sealed class AppImageDockerfileTests
{
    private static readonly string[] Hostile = ["/app/web", "a b", "\"q\"", "'sq'", "$HOME", "${X}", "`id`", "\\", "\\n", "ü 日本", "<<EOF", "#x", "", "\t"];

    [TestMethod]
    public void ExecFormArgumentsDecodeToExactlyTheDeclaredOnes()
    {
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static")
            .WithEntrypoint(Hostile).WithCommand(Hostile).WithHealthcheck(Hostile, retries: 2);
        var instructions = DockerfileInstruction.Parse(DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        CollectionAssert.AreEqual(new[] { "FROM", "ENTRYPOINT", "CMD", "HEALTHCHECK" }, instructions.Select(i => i.Keyword).ToArray());
        CollectionAssert.AreEqual(Hostile, JsonSerializer.Deserialize<string[]>(instructions[1].Arguments));
        CollectionAssert.AreEqual(Hostile, JsonSerializer.Deserialize<string[]>(instructions[2].Arguments));
        StringAssert.StartsWith(instructions[3].Arguments, "--retries=2 CMD [");
        CollectionAssert.AreEqual(Hostile, JsonSerializer.Deserialize<string[]>(instructions[3].Arguments["--retries=2 CMD ".Length..]));
        Assert.AreEqual("[]", DockerfileQuoting.ExecForm([]));
    }

    [TestMethod]
    public void LabelValuesAreDoubleQuotedLikeEnvValues()
    {
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithLabels([new("z", "a \"b\" $c \\ 'd'"), new("a", "")]);
        var label = DockerfileInstruction.Parse(DockerfileWriter.Write(image, DockerfileCases.EmptyPlan))[1];
        Assert.AreEqual("LABEL", label.Keyword);
        Assert.AreEqual("a=\"\" z=\"a \\\"b\\\" \\$c \\\\ 'd'\"", label.Arguments);
    }

    [TestMethod]
    public void AUserLayerReplacesTheDebianFooterAndChownStaysTheBaseUser()
    {
        var image = Image.FromDebianBase().WithUser("1000:1000").WithAppPublishOutput("/src/publish");
        var instructions = DockerfileInstruction.Parse(DockerfileWriter.Write(image, new ContainerImage.Context.ContextPlan(
            ValueArray.Create(DockerfileCases.Layer(1, null)), null, ValueArray<ContainerImage.Context.ContextFile>.Empty)));
        Assert.AreEqual(1, instructions.Count(i => i.Keyword == "USER"), "only the declared USER");
        Assert.AreEqual("COPY", instructions[^1].Keyword, "no footer after the last layer");
        StringAssert.StartsWith(instructions[^1].Arguments, "--chown=app:app ");
    }

    [TestMethod]
    public void ADerivedImageNamesItsParentsUriAndTheIdentifierDoesNot()
    {
        var parent = Image.FromBase("127.0.0.1:5000/local/busybox:static", registry: "127.0.0.1:5000/team", name: "tools");
        var child = parent.Derive("tool");
        var text = DockerfileWriter.Write(child, DockerfileCases.EmptyPlan);
        Assert.AreEqual("FROM 127.0.0.1:5000/team/tools:" + parent.Identifier + "\n", text, "the parent's built URI, tag = its identifier");
        Assert.AreEqual(child.Identifier, parent.WithRegistry("other.test").WithName("x").Derive("tool").Identifier);
    }

    [TestMethod]
    public void APinnedBaseIsFromTheDigestAndLabelled()
    {
        var digest = AppImageCases.PinnedDigest;
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithPinnedBase(digest);
        var instructions = DockerfileInstruction.Parse(DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        Assert.AreEqual("127.0.0.1:5000/local/busybox:static@" + digest, instructions[0].Arguments);
        Assert.AreEqual($"org.opencontainers.image.base.name=\"127.0.0.1:5000/local/busybox:static\" org.opencontainers.image.base.digest=\"{digest}\"",
            instructions[1].Arguments);
    }
}
