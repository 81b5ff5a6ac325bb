using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Dockerfile;
using ContainerImage.Model;

namespace ContainerImage.Tests.Dockerfile;

[TestClass]
public sealed class DockerfileStructureTests
{
    private const string Hostile = "a b \"q\" 'sq' $HOME ${X} `id` ; && || \\ \\n ü 日本 <<EOF #x *?[";

    private static Image HostileImage() => Image.FromBase("127.0.0.1:5000/local/python:3.11").WithPythonInstaller(PythonInstaller.Pip)
        .WithEnvVars([new("HOSTILE", Hostile), new("EMPTY", "")])
        .WithPipPackages(["pkg @ file:///tmp/a b/pkg.whl", Hostile], new PipOptions { ExtraArgs = ValueArray.Create(Hostile, "-v") })
        .WithWorkdir("/w x/it's ü")
        .WithSourceFolder("/src/a", "/it's dir/ü i")
        .WithCommands(["echo \"$HOME\"; echo 'x' && printf '%s\\n' ok", "cat <<EOF > /tmp/x", "echo after"]);

    private static ContextPlan HostilePlan => new(ValueArray.Create(DockerfileCases.Layer(3, null)), null, ValueArray<ContextFile>.Empty);

    [TestMethod]
    public void HostileValuesGiveExactlyTheDeclaredInstructions()
    {
        var instructions = DockerfileInstruction.Parse(DockerfileWriter.Write(HostileImage(), HostilePlan));
        CollectionAssert.AreEqual(
            new[] { "FROM", "ENV", "ENV", "ARG", "RUN", "WORKDIR", "COPY", "RUN", "RUN", "RUN" },
            instructions.Select(i => i.Keyword).ToArray());
        Assert.AreEqual("127.0.0.1:5000/local/python:3.11", instructions[0].Arguments);
        Assert.AreEqual("SOURCE_DATE_EPOCH", instructions[3].Arguments, "the stage declares the reproducible-build epoch before its first RUN, so RUN steps see it");
        Assert.AreEqual("HOSTILE=\"a b \\\"q\\\" 'sq' \\$HOME \\${X} `id` ; && || \\\\ \\\\n ü 日本 <<EOF #x *?[\"", instructions[1].Arguments);
        Assert.AreEqual("EMPTY=\"\"", instructions[2].Arguments);
        Assert.AreEqual("WORKDIR", instructions[5].Keyword);
        Assert.AreEqual("\"/w x/it's ü\"", instructions[5].Arguments);
        Assert.AreEqual("[\"layers/3/\", \"/it\\\\'s dir/ü i/\"]", instructions[6].Arguments);
        Assert.AreEqual("echo \"$HOME\"; echo 'x' && printf '%s\\n' ok", instructions[7].Arguments, "commands are written verbatim");
        Assert.AreEqual("[\"/bin/sh\", \"-c\", \"cat <<EOF > /tmp/x\"]", instructions[8].Arguments, "a heredoc marker forces the exec form");
        Assert.AreEqual("echo after", instructions[9].Arguments);
    }

    [TestMethod]
    public void HostilePipValuesAreSingleQuotedWords()
    {
        var run = DockerfileInstruction.Parse(DockerfileWriter.Write(HostileImage(), HostilePlan))[4].Arguments;
        // The heredoc marker in a value sends the step through the exec form, where the script is one JSON string.
        StringAssert.StartsWith(run, "--mount=type=cache,target=/root/.cache/pip [\"/bin/sh\", \"-c\", ");
        var script = System.Text.Json.JsonSerializer.Deserialize<string[]>(run[run.IndexOf('[')..])![2];
        var quoted = DockerfileQuoting.Shell(Hostile);
        Assert.AreEqual($"python3 -m pip install {quoted} '-v' 'pkg @ file:///tmp/a b/pkg.whl' {quoted}", script);
    }

    [TestMethod]
    public void OutputIsPureAndIndependentOfRegistryNameAndTag()
    {
        var image = DockerfileCases.WithEveryLayer(Image.FromDebianBase(PythonVersion.Parse("3.12")));
        var first = DockerfileWriter.Write(image, DockerfileCases.EveryLayerPlan);
        var renamed = image.WithRegistry("registry.example.test:5000/team").WithName("other/name").WithTag("v9");
        Assert.AreEqual(first, DockerfileWriter.Write(renamed, DockerfileCases.EveryLayerPlan));
        Assert.IsFalse(first.Contains('\r'), "LF line endings only");
        Assert.IsTrue(first.EndsWith("\nUSER app\n", StringComparison.Ordinal), "a trailing newline after the footer");
        Assert.IsFalse(first.Contains("/src/", StringComparison.Ordinal), "no host path of a declared input");
        Assert.IsFalse(first.StartsWith("# syntax", StringComparison.Ordinal));
    }

    [TestMethod]
    public void UserWorkdirIsNotOverriddenAndUserComesLast()
    {
        var image = Image.FromDebianBase().WithWorkdir("/srv/mine");
        var instructions = DockerfileInstruction.Parse(DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        var workdirs = instructions.Where(i => i.Keyword == "WORKDIR").Select(i => i.Arguments).ToArray();
        CollectionAssert.AreEqual(new[] { "\"/home/app\"", "\"/srv/mine\"" }, workdirs);
        Assert.AreEqual(new DockerfileInstruction("USER", "app"), instructions[^1]);
    }

    [TestMethod]
    public void ExistingBaseNeverChownsNorSetsUser()
    {
        var image = Image.FromBase("127.0.0.1:5000/local/debian:bookworm").WithSourceFolder("/src/a", "/app");
        var plan = new ContextPlan(ValueArray.Create(DockerfileCases.Layer(0, null)), null, ValueArray<ContextFile>.Empty);
        var text = DockerfileWriter.Write(image, plan);
        Assert.IsFalse(text.Contains("--chown", StringComparison.Ordinal));
        Assert.IsFalse(text.Contains("USER", StringComparison.Ordinal));
        Assert.IsFalse(text.Contains("uv", StringComparison.Ordinal), "no Python work: no uv stage");
    }

    [TestMethod]
    public void SecretValuesAndSourcesNeverAppear()
    {
        var secret = Secret.AsEnvironmentVariable("tok", "TOKEN").FromFile("/home/me/secret-source.txt");
        var text = DockerfileWriter.Write(Image.FromBase("127.0.0.1:5000/local/debian:bookworm").WithCommands(["true"], [secret]), DockerfileCases.EmptyPlan);
        Assert.IsFalse(text.Contains("secret-source", StringComparison.Ordinal));
        StringAssert.Contains(text, "--mount=type=secret,id=tok,target=/run/secrets/tok,required=true");
    }

    [TestMethod]
    public void DockerfileBaseIsRefused()
    {
        var image = Image.FromDockerfile("/src/Dockerfile");
        var error = Assert.ThrowsExactly<ArgumentException>(() => DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        StringAssert.Contains(error.Message, "as it is");
    }

    [TestMethod]
    public void LayerWithoutContextInThePlanIsRefused()
    {
        var image = Image.FromBase("127.0.0.1:5000/local/debian:bookworm").WithSourceFolder("/src/a");
        var error = Assert.ThrowsExactly<ArgumentException>(() => DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        StringAssert.Contains(error.Message, "layer 0");
    }

    [TestMethod]
    [DataRow("1000:1000", 1000)]
    [DataRow("1000", 1000)]
    [DataRow("app", 0)]
    public void UserThatUseraddCannotCreateGetsItsCode(string user, int uid)
    {
        var image = Image.FromDebianBase().WithDebianBase(d => d with { User = user, UserId = uid });
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        Assert.AreEqual(DiagnosticCodes.DebianUserNotCreatable, error.Code);
        StringAssert.StartsWith(error.Message, "CIMG2040: ");
    }

    [TestMethod]
    public void BadSyntaxImageGetsItsCode()
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => DockerfileWriter.Write(Image.FromDebianBase(), DockerfileCases.EmptyPlan, new() { Syntax = "Not An Image" }));
        Assert.AreEqual(DiagnosticCodes.InvalidImageReference, error.Code);
    }
}
