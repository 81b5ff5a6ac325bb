using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using CsCheck;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Generated hostile values through every With* method and factory of the model: each ends in a
/// coded error, or in a Dockerfile whose instructions are exactly the declared layer with the value
/// arriving literally where it was declared (read back with <see cref="DockerfileReader"/>).
/// </summary>
[TestClass]
public sealed class HostileModelTests
{
    internal const string BusyboxBase = "127.0.0.1:5000/local/busybox:static";

    public TestContext TestContext { get; set; } = null!;

    private static readonly ContextPlan EmptyPlan = new(ValueArray<LayerContext>.Empty, null, ValueArray<ContextFile>.Empty);

    private static Image Base => Image.FromBase(BusyboxBase);

    /// <summary>The instructions of <paramref name="image"/>'s Dockerfile after the FROM line (which is checked).</summary>
    internal static IReadOnlyList<ReadInstruction> LayerInstructions(Image image, ContextPlan? plan = null)
    {
        var all = DockerfileReader.Read(DockerfileWriter.Write(image, plan ?? EmptyPlan));
        Assert.AreEqual("FROM", all[0].Keyword);
        // The stage declares the reproducible-build epoch once, just before its first RUN (docs/reproducibility.md).
        var epoch = all.Select((instruction, index) => (instruction, index)).Where(x => x.instruction.Keyword == "ARG").ToArray();
        Assert.IsTrue(epoch.Length <= 1, "at most one ARG");
        if (epoch.Length == 0) return all.Skip(1).ToArray();
        Assert.AreEqual("SOURCE_DATE_EPOCH", epoch[0].instruction.Body);
        Assert.AreEqual("RUN", all[epoch[0].index + 1].Keyword, "declared right before the first RUN");
        Assert.IsFalse(all.Take(epoch[0].index).Any(i => i.Keyword == "RUN"), "declared before every RUN");
        return all.Skip(1).Where(i => i.Keyword != "ARG").ToArray();
    }

    private static ReadInstruction Single(Image image, string keyword, ContextPlan? plan = null)
    {
        var instructions = LayerInstructions(image, plan);
        Assert.AreEqual(1, instructions.Count, "exactly the declared instruction");
        Assert.AreEqual(keyword, instructions[0].Keyword);
        return instructions[0];
    }

    /// <summary>The shell script a RUN instruction hands to /bin/sh, whichever form it is in.</summary>
    internal static string RunScript(ReadInstruction run)
    {
        if (run.Json is { } exec)
        {
            Assert.AreEqual(3, exec.Length);
            CollectionAssert.AreEqual(new[] { "/bin/sh", "-c" }, exec[..2]);
            return exec[2];
        }
        return run.Body;
    }

    private static void CheckPairs(ReadInstruction instruction, string key, string value)
    {
        var pairs = DockerfileReader.Pairs(instruction.Body);
        Assert.IsNotNull(pairs, "the value is one literal double-quoted word: " + instruction.Body);
        Assert.AreEqual(1, pairs.Count);
        Assert.AreEqual(key, pairs[0].Key);
        Assert.AreEqual(value, pairs[0].Value);
    }

    // One entry per With* method and factory: name, and an attempt that throws or checks the Dockerfile.
    private static readonly (string Name, Action<string[]> Attempt)[] Operations =
    [
        ("EnvVars name", v => CheckPairs(Single(Base.WithEnvVars([new(V(v, 0), "x")]), "ENV"), V(v, 0), "x")),
        ("EnvVars value", v => CheckPairs(Single(Base.WithEnvVars([new("HOSTILE", V(v, 0))]), "ENV"), "HOSTILE", V(v, 0))),
        ("Labels key", v => CheckPairs(Single(Base.WithLabels([new(V(v, 0), "x")]), "LABEL"), V(v, 0), "x")),
        ("Labels value", v => CheckPairs(Single(Base.WithLabels([new("org.test.hostile", V(v, 0))]), "LABEL"), "org.test.hostile", V(v, 0))),
        ("Workdir", v => Assert.AreEqual(V(v, 0), DockerfileReader.SingleQuotedWord(Single(Base.WithWorkdir(V(v, 0)), "WORKDIR").Body))),
        ("Commands", v =>
        {
            var runs = LayerInstructions(Base.WithCommands(v));
            Assert.AreEqual(v.Length, runs.Count, "one RUN per command");
            for (var i = 0; i < v.Length; i++)
            {
                Assert.AreEqual("RUN", runs[i].Keyword);
                Assert.AreEqual(0, runs[i].Flags.Count, "no flag came from the command: " + runs[i].Body);
                Assert.AreEqual(v[i], RunScript(runs[i]));
            }
        }),
        ("Entrypoint", v => CollectionAssert.AreEqual(v, Single(Base.WithEntrypoint(v), "ENTRYPOINT").Json)),
        ("Command", v => CollectionAssert.AreEqual(v, Single(Base.WithCommand(v), "CMD").Json)),
        ("Healthcheck", v =>
        {
            var check = Single(Base.WithHealthcheck(v), "HEALTHCHECK");
            Assert.AreEqual(0, check.Flags.Count);
            StringAssert.StartsWith(check.Body, "CMD [");
            CollectionAssert.AreEqual(v, System.Text.Json.JsonSerializer.Deserialize<string[]>(check.Body[4..]));
        }),
        ("User", v => Assert.AreEqual(V(v, 0), Single(Base.WithUser(V(v, 0)), "USER").Body)),
        ("ExposePorts", v =>
        {
            // The model normalises "80" to "80/tcp" and drops repeats: the instruction holds the model's ports.
            var image = Base.WithExposedPorts(v);
            CollectionAssert.AreEqual(((ExposePortsLayer)image.Layers[0]).Ports.ToArray(), Single(image, "EXPOSE").Body.Split(' '));
        }),
        ("AptPackages", v =>
        {
            var run = Single(Base.WithAptPackages(v), "RUN");
            Assert.AreEqual(2, run.Flags.Count, "only the two cache mounts");
            StringAssert.Contains(RunScript(run), DockerfileQuoting.ShellWords(v));
        }),
        ("PipPackages", v => SameShapeAsBenign(b => b.WithPipPackages(v), b => b.WithPipPackages("safe"), DockerfileQuoting.ShellWords(v))),
        ("Pip ExtraArgs", v => SameShapeAsBenign(b => b.WithPipPackages(["safe"], new PipOptions { ExtraArgs = v.ToValueArray() }),
            b => b.WithPipPackages(["safe"], new PipOptions { ExtraArgs = ValueArray.Create("-v") }), DockerfileQuoting.ShellWords(v))),
        ("Pip IndexUrl", v => SameShapeAsBenign(b => b.WithPipPackages(["safe"], new PipOptions { IndexUrl = V(v, 0) }),
            b => b.WithPipPackages(["safe"], new PipOptions { IndexUrl = "https://pypi.example/simple" }), DockerfileQuoting.Shell(V(v, 0)))),
        ("SourceFolder destination", v =>
        {
            var plan = new ContextPlan(ValueArray.Create(new LayerContext(0, "layers/0", null, ValueArray<ContextFile>.Empty, ValueArray<string>.Empty)), null, ValueArray<ContextFile>.Empty);
            var image = Base.WithSourceFolder("/src/a", V(v, 0));
            var declared = ((SourceFolderLayer)image.Layers[0]).Destination;
            var args = Single(image, "COPY", plan).Json;
            Assert.IsNotNull(args);
            var destination = declared == "." ? "./" : declared.TrimEnd('/') + "/";
            Assert.AreEqual(destination, DockerfileReader.Unescape(args[1]));
        }),
        ("FromBase", v => FromLine(Image.FromBase(V(v, 0)))),
        ("FromDockerfile", v => Image.FromDockerfile(V(v, 0))),
        ("FromDebianBase core spec", v => FromLine(Image.FromDebianBase(coreLibrarySpec: V(v, 0)))),
        ("FromDebianBase template", v => FromLine(Image.FromDebianBase(baseImageTemplate: V(v, 0)))),
        ("PythonVersion", v => PythonVersion.Parse(V(v, 0))),
        ("Platform", v => Base.WithPlatforms([Platform.Parse(V(v, 0))])),
        ("WithName", v => Assert.IsFalse(Base.WithName(V(v, 0)).Uri.Any(char.IsWhiteSpace))),
        ("WithTag", v => Assert.IsFalse(Base.WithTag(V(v, 0)).Uri.Any(char.IsWhiteSpace))),
        ("WithRegistry", v => Assert.IsFalse(Base.WithRegistry(V(v, 0)).Uri.Any(char.IsWhiteSpace))),
        ("WithPinnedBase", v => FromLine(Base.WithPinnedBase(V(v, 0)))),
        ("WithDockerIgnore", v => Base.WithDockerIgnore(V(v, 0))),
        ("WithRequirements", v => Base.WithRequirements(V(v, 0))),
        ("WithSourceFile source", v => Base.WithSourceFile(V(v, 0))),
        ("WithAppPublishOutput", v => Base.WithAppPublishOutput("/src/pub", V(v, 0))),
        ("Secret env", v => SecretMount(Secret.AsEnvironmentVariable(V(v, 0), V(v, 1), V(v, 2)))),
        ("Secret file", v => SecretMount(Secret.AsFile(V(v, 0), V(v, 1), V(v, 2)))),
        ("Secret from file", v => SecretMount(Secret.AsEnvironmentVariable("tok").FromFile(V(v, 0)))),
    ];

    private static string V(string[] values, int index) => index < values.Length ? values[index] : "";

    private static void FromLine(Image image)
    {
        var from = DockerfileReader.Read(DockerfileWriter.Write(image, EmptyPlan)).Where(i => i.Keyword == "FROM").ToArray();
        foreach (var line in from) Assert.IsFalse(line.Body.Split(" AS ")[0].Any(c => char.IsWhiteSpace(c) || c is '"' or '$' or '\\'), line.Body);
    }

    private static void SecretMount(Secret secret)
    {
        var run = Single(Base.WithCommands(["true"], [secret]), "RUN");
        Assert.AreEqual(1, run.Flags.Count, "exactly the one secret mount");
        StringAssert.StartsWith(run.Flags[0], "--mount=");
    }

    // Values inside a longer generated step: the step must have the same instructions and flags as
    // the same declaration with a benign value, and hold the value shell-quoted.
    private static void SameShapeAsBenign(Func<Image, Image> hostile, Func<Image, Image> benign, string quoted)
    {
        var pipBase = Base.WithPythonInstaller(PythonInstaller.Pip);
        var actual = LayerInstructions(hostile(pipBase));
        var expected = LayerInstructions(benign(pipBase));
        CollectionAssert.AreEqual(expected.Select(i => i.Keyword + "/" + i.Flags.Count).ToArray(), actual.Select(i => i.Keyword + "/" + i.Flags.Count).ToArray());
        StringAssert.Contains(RunScript(actual[^1]), quoted);
    }

    [TestMethod]
    public void GeneratedHostileValuesThroughTheModelEndInCodedErrorsOrExactDockerfiles()
    {
        var tally = new HostileTally();
        var gen = Gen.Select(Gen.Int[0, Operations.Length - 1], HostileText.Values.Select(v => v.Length == 0 ? [""] : v));
        gen.Sample((op, values) => tally.Try($"{Operations[op].Name} {Show(values)}", () => Operations[op].Attempt(values)), iter: 12_000, threads: 1);
        TestContext.WriteLine(tally.Report("model"));
        Assert.IsTrue(tally.Tried >= 10_000);
        Assert.AreEqual(0, tally.Crashes.Count, string.Join("\n", tally.Crashes.GroupBy(c => c[..c.IndexOf(' ')]).Select(g => g.Count() + " x " + g.First())));
        Assert.IsTrue(tally.Accepted > 1000 && tally.Codes.Count > 5, "the generator reaches both sides of the rules");
    }

    internal static string Show(string[] values) => System.Text.Json.JsonSerializer.Serialize(values.Select(v => v.Length > 80 ? v[..80] + $"...({v.Length})" : v));
}
