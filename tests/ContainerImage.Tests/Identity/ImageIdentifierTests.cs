using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

[TestClass]
public sealed class ImageIdentifierTests
{
    // The real Dockerfile writer is another concern; a fixed text keeps these tests about the identifier.
    private static string FixedDockerfile(Image image, ContextPlan plan) => "FROM fixed\n";

    private static string Id(Image image, Func<Image, ContextPlan, string>? dockerfile = null)
        => ImageIdentifier.Compute(image, dockerfile ?? FixedDockerfile).Identifier;

    private static void WriteProject(TempTree tree, bool reversed = false)
    {
        var files = new (string Path, string Content, bool Exec)[]
        {
            ("proj/app/main.py", "print('hi')", false),
            ("proj/app/pkg/util.py", "X = 1", false),
            ("proj/app/run.sh", "#!/bin/sh\nexec python main.py", true),
            ("proj/app/debug.log", "noise", false),
            ("proj/.dockerignore", "**/*.log\n", false),
            ("proj/pyproject.toml", "[project]\nname = 'demo'\n", false),
            ("proj/uv.lock", "version = 1\n", false),
            ("proj/config.yaml", "a: 1\n", false),
        };
        foreach (var f in reversed ? files.Reverse() : files) tree.Write(f.Path, f.Content, f.Exec);
    }

    private static Image Define(TempTree tree) => Image.FromDebianBase(name: "demo", registry: "127.0.0.1:5000/team")
        .WithAptPackages(["git", "curl"], [Secret.AsFile("netrc", "/root/.netrc")])
        .WithPipPackages(["numpy==2.0", "pandas"], new PipOptions { IndexUrl = "https://pypi.example/simple", Secrets = [Secret.AsEnvironmentVariable("TOKEN")] })
        .WithUvProject(tree.Path_("proj/pyproject.toml"))
        .WithEnvVars([new("MODE", "prod")])
        .WithWorkdir("/srv")
        .WithSourceFolder(tree.Path_("proj/app"), "/srv/app")
        .WithSourceFile(tree.Path_("proj/config.yaml"), "/etc/demo/")
        .WithDockerIgnore(tree.Path_("proj/.dockerignore"))
        .WithCommands(["python -m compileall /srv/app"], [Secret.AsEnvironmentVariable("TOKEN")]);

    // Long texts are hashed a slice at a time: a surrogate pair split across slices, and an unpaired one, must
    // still give the SHA-256 of the text's UTF-8 bytes.
    [TestMethod]
    [DataRow(16 * 1024 - 1)]
    [DataRow(16 * 1024)]
    [DataRow(3 * 16 * 1024 - 1)]
    public void Sha256HexOfALongTextIsTheHashOfItsUtf8Bytes(int pairAt)
    {
        var text = new string('a', pairAt) + "\U0001F600" + new string('é', 40_000) + "\uD800" + "end";
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        Assert.AreEqual(expected, ImageIdentifier.Sha256Hex(text));
        Assert.AreNotEqual(expected, ImageIdentifier.Sha256Hex(text + " "));
    }

    [TestMethod]
    public void TheIdentifierIsSha256OfTheCanonicalJsonWhichHoldsNoAbsolutePathOrName()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var identity = ImageIdentifier.Compute(Define(tree), FixedDockerfile);

        Assert.AreEqual(ImageIdentifier.Sha256Hex(identity.CanonicalJson), identity.Identifier);
        Assert.MatchesRegex("^[0-9a-f]{64}$", identity.Identifier);
        StringAssert.StartsWith(identity.CanonicalJson, "{\"spec\":\"containerimage-identity/1\",\"base\":{\"kind\":\"Debian\"");
        Assert.DoesNotContain(tree.Root, identity.CanonicalJson);
        Assert.DoesNotContain("demo\"", identity.CanonicalJson.Replace("name = 'demo'", ""));
        Assert.DoesNotContain("127.0.0.1:5000/team", identity.CanonicalJson);
        Assert.DoesNotContain("debug.log", identity.CanonicalJson, "ignored files are not hashed");
        Assert.DoesNotContain(" ", identity.CanonicalJson.Replace("python -m compileall /srv/app", ""), "no insignificant whitespace");
    }

    [TestMethod]
    public void RegistryNameTagTimesCheckoutPathOrderAndSecretSourcesDoNotChangeIt()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var baseline = Id(Define(tree));

        Assert.AreEqual(baseline, Id(Define(tree).WithRegistry("ghcr.io/other").WithName("renamed").WithTag("v1")));

        foreach (var file in Directory.GetFiles(tree.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }
        Assert.AreEqual(baseline, Id(Define(tree)), "modification times");

        using var copy = tree.CopyTo();
        Assert.AreEqual(baseline, Id(Define(copy)), "another checkout path");

        using var reversed = new TempTree();
        WriteProject(reversed, reversed: true);
        Assert.AreEqual(baseline, Id(Define(reversed)), "files created in another order");

        var otherSources = Define(tree).WithLayer(Layers.Commands(["true"], [Secret.AsEnvironmentVariable("TOKEN", sourceVariable: "OTHER_VAR")]));
        var fileSource = Define(tree).WithLayer(Layers.Commands(["true"], [Secret.AsEnvironmentVariable("TOKEN").FromFile("/run/secrets/token")]));
        Assert.AreEqual(Id(otherSources), Id(fileSource), "where a secret is read from on the build machine");
        var variable = "TOKEN";
        var old = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, "value-one");
        var one = Id(Define(tree));
        Environment.SetEnvironmentVariable(variable, "value-two");
        var two = Id(Define(tree));
        Environment.SetEnvironmentVariable(variable, old);
        Assert.AreEqual(one, two, "the secret's value");
        Assert.AreEqual(baseline, one);
    }

    [TestMethod]
    public void TheInstallerModeChangesIt()
    {
        var uv = Image.FromDebianBase().WithPipPackages("numpy");
        Assert.AreNotEqual(Id(uv), Id(uv.WithPythonInstaller(PythonInstaller.Pip)));
    }

    [TestMethod]
    public void CollectionExpressionsKeepTheirItems()
    {
        // Guards the model's ValueArray: '[x]' must not silently become an empty list.
        var options = new PipOptions { ExtraArgs = ["--no-deps"] };
        Assert.AreEqual(1, options.ExtraArgs.Count);
    }

    [TestMethod]
    public void AFileThatVanishesAfterPlanningIsACodedError()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var image = Define(tree);
        var plan = ContextPlanner.Plan(image);
        File.Delete(tree.Path_("proj/app/main.py"));

        var error = Assert.ThrowsExactly<ContainerImage.Diagnostics.ImageDefinitionException>(() => ImageIdentifier.Compute(image, plan, null, FixedDockerfile));

        Assert.AreEqual(ContainerImage.Diagnostics.DiagnosticCodes.InputUnreadable, error.Code);
        StringAssert.Contains(error.Message, "main.py");
    }

    [TestMethod]
    public void PlatformsAreASet()
    {
        var a = Image.FromBase("a/b:1", platforms: [Platform.LinuxAmd64, Platform.LinuxArm64]);
        var b = Image.FromBase("a/b:1", platforms: [Platform.LinuxArm64, Platform.LinuxAmd64]);
        Assert.AreEqual(Id(a), Id(b));
        Assert.AreNotEqual(Id(a), Id(Image.FromBase("a/b:1", platforms: [Platform.LinuxAmd64])));
    }

    [TestMethod]
    public void EveryDeclaredInputChangesIt()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var changes = new Dictionary<string, Func<Image, Image>>
        {
            ["python version"] = i => i.WithDebianBase(d => d with { Python = PythonVersion.Parse("3.11") }),
            ["core library off"] = i => i.WithDebianBase(d => d with { InstallCoreLibrary = false }),
            ["core library spec"] = i => i.WithDebianBase(d => d with { CoreLibrarySpec = "flyte==2.0.0" }),
            ["base image"] = i => i.WithDebianBase(d => d with { BaseImageTemplate = "127.0.0.1:5000/local/python:{python}" }),
            ["base apt packages"] = i => i.WithDebianBase(d => d with { AptPackages = ValueArray.Create("ca-certificates") }),
            ["user"] = i => i.WithDebianBase(d => d with { User = "svc" }),
            ["uid"] = i => i.WithDebianBase(d => d with { UserId = 1001 }),
            ["platforms"] = i => i.WithPlatforms([Platform.LinuxAmd64]),
            ["uv image"] = i => i.WithPythonInstaller(PythonInstaller.Uv, "ghcr.io/astral-sh/uv:0.9.0"),
            ["a new layer"] = i => i.WithWorkdir("/x"),
            ["generated dockerfile"] = i => i,
        };
        var baseline = Id(Define(tree));
        var seen = new HashSet<string> { baseline };
        foreach (var (what, change) in changes)
        {
            var id = what == "generated dockerfile" ? Id(change(Define(tree)), (_, _) => "FROM other\n") : Id(change(Define(tree)));
            Assert.IsTrue(seen.Add(id), $"changing the {what} must change the identifier");
        }
    }

    [TestMethod]
    public void EveryLayerParameterChangesIt()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var secret = Secret.AsEnvironmentVariable("TOKEN");
        var variants = new Dictionary<string, Func<Image, Image>>
        {
            ["baseline"] = i => i,
            ["apt package"] = i => i.WithAptPackages("git"),
            ["apt package order"] = i => i.WithAptPackages("b", "a"),
            ["apt package order 2"] = i => i.WithAptPackages("a", "b"),
            ["apt secret"] = i => i.WithAptPackages(["git"], [secret]),
            ["apt secret env name"] = i => i.WithAptPackages(["git"], [Secret.AsEnvironmentVariable("TOKEN", "OTHER")]),
            ["apt secret as file"] = i => i.WithAptPackages(["git"], [Secret.AsFile("TOKEN", "/run/t")]),
            ["apt secret mount path"] = i => i.WithAptPackages(["git"], [Secret.AsFile("TOKEN", "/run/u")]),
            ["pip package"] = i => i.WithPipPackages("numpy"),
            ["pip index"] = i => i.WithPipPackages(["numpy"], new PipOptions { IndexUrl = "https://a.example/simple" }),
            ["pip extra index"] = i => i.WithPipPackages(["numpy"], new PipOptions { ExtraIndexUrls = ["https://b.example/simple"] }),
            ["pip pre"] = i => i.WithPipPackages(["numpy"], new PipOptions { Pre = true }),
            ["pip extra args"] = i => i.WithPipPackages(["numpy"], new PipOptions { ExtraArgs = ["--no-deps"] }),
            ["pip secret"] = i => i.WithPipPackages(["numpy"], new PipOptions { Secrets = [secret] }),
            ["env value"] = i => i.WithEnvVars([new("A", "1")]),
            ["env value 2"] = i => i.WithEnvVars([new("A", "2")]),
            ["env name"] = i => i.WithEnvVars([new("B", "1")]),
            ["workdir"] = i => i.WithWorkdir("/a"),
            ["workdir 2"] = i => i.WithWorkdir("/b"),
            ["command"] = i => i.WithCommands(["echo a"]),
            ["command 2"] = i => i.WithCommands(["echo b"]),
            ["command secret"] = i => i.WithCommands(["echo a"], [secret]),
            ["folder"] = i => i.WithSourceFolder(tree.Path_("proj/app"), "/a"),
            ["folder destination"] = i => i.WithSourceFolder(tree.Path_("proj/app"), "/b"),
            ["file into folder"] = i => i.WithSourceFile(tree.Path_("proj/config.yaml"), "/a/"),
            ["file onto path"] = i => i.WithSourceFile(tree.Path_("proj/config.yaml"), "/a/config.yaml"),
            ["uv project"] = i => i.WithUvProject(tree.Path_("proj/pyproject.toml")),
            ["dockerignore"] = i => i.WithDockerIgnore(tree.Path_("proj/.dockerignore")),
            ["two layers"] = i => i.WithWorkdir("/a").WithEnvVars([new("A", "1")]),
            ["two layers swapped"] = i => i.WithEnvVars([new("A", "1")]).WithWorkdir("/a"),
        };
        var start = Image.FromBase("127.0.0.1:5000/local/debian:bookworm");
        var ids = variants.ToDictionary(v => v.Key, v => Id(v.Value(start)));
        var duplicates = ids.GroupBy(kv => kv.Value).Where(g => g.Count() > 1).Select(g => string.Join(" = ", g.Select(kv => kv.Key))).ToList();
        Assert.AreEqual(0, duplicates.Count, "variants with the same identifier: " + string.Join("; ", duplicates));
        Assert.AreNotEqual(Id(start), Id(Image.FromBase("127.0.0.1:5000/local/debian:trixie")), "the base image reference");
    }

    [TestMethod]
    public void FileContentNamesExecBitsAndIgnoreRulesChangeIt()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var seen = new HashSet<string> { Id(Define(tree)) };
        void Expect(string what)
        {
            Assert.IsTrue(seen.Add(Id(Define(tree))), what + " must change the identifier");
        }

        tree.Write("proj/app/main.py", "print('bye')");
        Expect("a source file's content");
        File.Move(tree.Path_("proj/app/pkg/util.py"), tree.Path_("proj/app/pkg/utils.py"));
        Expect("a source file's name");
        tree.Write("proj/app/new.py", "");
        Expect("a new empty file");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tree.Path_("proj/app/main.py"), File.GetUnixFileMode(tree.Path_("proj/app/main.py")) | UnixFileMode.UserExecute);
            Expect("an execute bit");
        }
        tree.Write("proj/.dockerignore", "**/*.log\nnew.py\napp/new.py\n");
        Expect("an ignore rule that excludes a file");
        tree.Write("proj/config.yaml", "a: 2\n");
        Expect("a source file layer's content");
        tree.Write("proj/uv.lock", "version = 2\n");
        Expect("uv.lock");
        tree.Write("proj/pyproject.toml", "[project]\nname = 'demo2'\n");
        Expect("pyproject.toml");

        var before = Id(Define(tree));
        tree.Write("proj/app/debug.log", "other noise");
        tree.Write("proj/.dockerignore", "# a comment\n**/*.log\nnew.py\napp/new.py\n");
        Assert.AreEqual(before, Id(Define(tree)), "ignored files and ignore-file comments do not matter");
    }

    [TestMethod]
    public void ADockerfileImageHashesTheDockerfileAndTheContextItSees()
    {
        using var tree = new TempTree();
        var dockerfile = tree.Write("ctx/Dockerfile", "FROM scratch\nCOPY . /\n");
        tree.Write("ctx/a.txt", "a");
        tree.Write("ctx/skip.tmp", "t");
        tree.Write("ctx/.dockerignore", "*.tmp\n");
        var image = Image.FromDockerfile(dockerfile);
        var seen = new HashSet<string> { Id(image) };

        tree.Write("ctx/skip.tmp", "changed");
        Assert.AreEqual(seen.Single(), Id(image), "an ignored file");
        tree.Write("ctx/a.txt", "changed");
        Assert.IsTrue(seen.Add(Id(image)), "a context file");
        tree.Write("ctx/Dockerfile", "FROM scratch\nCOPY a.txt /\n");
        Assert.IsTrue(seen.Add(Id(image)), "the Dockerfile");
        Assert.IsTrue(seen.Add(Id(image.WithPlatforms([Platform.LinuxArm64]))), "the platforms");
        var identity = ImageIdentifier.Compute(image, FixedDockerfile);
        Assert.AreEqual(-1, identity.Layers.Single().LayerIndex);
        StringAssert.Contains(identity.CanonicalJson, "\"dockerfile\":\"Dockerfile\"");
    }

    [TestMethod]
    public void ManifestsRoundTripAsJsonAndExplainWhatChanged()
    {
        using var tree = new TempTree();
        WriteProject(tree);
        var before = ImageIdentifier.Compute(Define(tree), FixedDockerfile);
        tree.Write("proj/app/main.py", "print('changed')");
        tree.Write("proj/app/extra.py", "");
        var after = ImageIdentifier.Compute(Define(tree), FixedDockerfile);

        var folder = after.Layers.Single(l => l.Kind == "SourceFolder");
        Assert.AreEqual("SourceFolder app -> /srv/app", folder.Description);
        CollectionAssert.AreEqual(new[] { "extra.py", "main.py", "pkg/util.py", "run.sh" }, folder.Files.Select(f => f.Path).ToArray());
        Assert.AreEqual(!OperatingSystem.IsWindows(), folder.Files.Single(f => f.Path == "run.sh").Executable);

        var reread = ImageIdentity.FromJson(before.ToJson())!;
        Assert.AreEqual(before.Identifier, reread.Identifier);
        Assert.AreEqual(before.CanonicalJson, reread.CanonicalJson);
        Assert.AreEqual(before.Layers.Count, reread.Layers.Count);
        CollectionAssert.AreEqual(before.Layers[5].Files.ToArray(), reread.Layers[5].Files.ToArray());

        CollectionAssert.AreEqual(
            new[] { "layer 5 (SourceFolder app -> /srv/app): extra.py added", "layer 5 (SourceFolder app -> /srv/app): main.py changed" },
            after.DescribeChangesSince(reread).ToArray());
        Assert.AreEqual(0, after.DescribeChangesSince(after).Count);
        Assert.IsNull(ImageIdentity.FromJson("not json"));
    }
}
