using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>
/// Builds generated Dockerfiles with the real engine (pip installer mode: there is no uv image or
/// PyPI here; wheels made by the test are installed from a folder) and inspects the result.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class DockerfileEngineTests
{
    private const string HostileValue = "a $HOME \"q\" \\back ; semi 'sq' ü 日本  two spaces";
    private const string SecretValue = "s3cret value with spaces";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void DebianBaseImageBuildsAndEveryLayerDoesWhatWasDeclared()
    {
        Engine.Require();
        var root = Directory.CreateTempSubdirectory("cimg-dockerfile-engine-").FullName;
        var tag = "dockerfile-test/every-layer:" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            var wheels = new PipOptions { ExtraArgs = ValueArray.Create("--no-index", "--find-links", "/opt/wheels") };
            var image = Image.FromDebianBase(PythonVersion.Parse("3.11"), installCoreLibrary: false, platforms: [Platform.LinuxAmd64],
                    baseImageTemplate: "127.0.0.1:5000/local/python:{python}")
                .WithPythonInstaller(PythonInstaller.Pip)
                .WithDebianBase(d => d with { AptPackages = ValueArray<string>.Empty })
                .WithSourceFolder(root + "/wheels", "/opt/wheels")                              // 0
                .WithPipPackages(["demo==1.0"], wheels)                                         // 1
                .WithRequirements(root + "/req/main.txt", wheels)                               // 2
                .WithUvProject(root + "/proj/pyproject.toml", options: wheels)                  // 3
                .WithEnvVars([new("HOSTILE", HostileValue), new("EMPTY", "")])                 // 4
                .WithWorkdir("/srv/my app/it's")                                                // 5
                .WithSourceFolder(root + "/odd")                                                // 6
                .WithSourceFile(root + "/tool.sh", "/opt/tool/run me.sh")                       // 7
                .WithSourceFile(root + "/keep name.txt")                                        // 8
                .WithCommands([
                    "printf '%s' \"$TOKEN\" | sha256sum > /tmp/env-secret.sha",
                    "sha256sum < '/run/my secrets/tok' > /tmp/file-secret.sha",
                    "echo $((1<<3)) > /tmp/shift"],
                    [Secret.AsEnvironmentVariable("tok_env", "TOKEN"), Secret.AsFile("tok", "/run/my secrets/tok")]); // 9
            var plan = LayOutContext(root);
            Engine.Build(root + "/context", DockerfileWriter.Write(image, plan), tag,
                ["--secret", "id=tok_env,env=CIMG_TEST_SECRET", "--secret", "id=tok,env=CIMG_TEST_SECRET"],
                new Dictionary<string, string> { ["CIMG_TEST_SECRET"] = SecretValue });

            var output = Engine.RunScript(tag, string.Join("; echo '|'; ", [
                "id -un", "pwd", "printenv HOSTILE", "printenv EMPTY",
                "python -c 'import demo, demo2, demo3; print(demo.V, demo2.V, demo3.V)'",
                "ls -1 .", "stat -c '%U %a' 'run me.sh' 2>/dev/null || stat -c '%U %a' '/opt/tool/run me.sh'",
                "cat /tmp/env-secret.sha /tmp/file-secret.sha /tmp/shift"]));
            var parts = output.Split("|\n");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecretValue)));
            Assert.AreEqual("app\n", parts[0], "USER is the created user");
            Assert.AreEqual("/srv/my app/it's\n", parts[1], "the declared WORKDIR wins over the header's");
            Assert.AreEqual(HostileValue + "\n", parts[2], "ENV value kept literally");
            Assert.AreEqual("\n", parts[3]);
            Assert.AreEqual("1.0 2.0 3.0\n", parts[4], "pip, nested requirements and the locked project installed into the venv");
            CollectionAssert.AreEquivalent(new[] { "d$ollar 'q'.txt", "keep name.txt", "sp ace.txt", "star*.txt", "ü.txt" }, parts[5].TrimEnd('\n').Split('\n'));
            Assert.AreEqual("app 755\n", parts[6], "file copied under its new name, owned by the user, executable bit kept");
            Assert.AreEqual($"{hash}  -\n{hash}  -\n8\n", parts[7], "secrets reach RUN as env and as file; the heredoc-looking command ran as written");

            var history = Engine.Docker(["history", "--no-trunc", tag]).Output + Engine.Docker(["image", "inspect", tag]).Output;
            Assert.IsFalse(history.Contains(SecretValue, StringComparison.Ordinal), "the secret value is not in the image history or config");
        }
        finally
        {
            Engine.RemoveImage(tag);
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void AptLayerInstallsAndLeavesTheBaseAptConfigurationAsItWas()
    {
        Engine.Require();
        var root = Directory.CreateTempSubdirectory("cimg-dockerfile-apt-").FullName;
        var tag = "dockerfile-test/apt:" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            // A docker-clean like the official images ship, so the step must move it aside and back.
            var image = Image.FromBase("127.0.0.1:5000/local/debian:bookworm")
                .WithCommands(["echo 'DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb || true\"; };' > /etc/apt/apt.conf.d/docker-clean"])
                .WithAptPackages("jq");
            Engine.Build(root, DockerfileWriter.Write(image, DockerfileCases.EmptyPlan), tag, ["--network=host"]);
            var output = Engine.RunScript(tag, "jq --version >/dev/null && echo jq-ok; cat /etc/apt/apt.conf.d/docker-clean; ls /var/cache/apt/archives/ | grep -c '\\.deb$' || true; ls /tmp");
            Assert.AreEqual("jq-ok\nDPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb || true\"; };\n0\n", output,
                "package installed, docker-clean restored, downloaded archives kept in the cache mount, not the image");
        }
        finally
        {
            Engine.RemoveImage(tag);
            Directory.Delete(root, recursive: true);
        }
    }

    // Lays the inputs out on disk and the context as the planner would (layers/{i}/...).
    private static ContextPlan LayOutContext(string root)
    {
        var context = root + "/context";
        void Put(string path, string text) { Directory.CreateDirectory(Path.GetDirectoryName(path)!); File.WriteAllText(path, text); }
        foreach (var (name, version) in new[] { ("demo", "1.0"), ("demo2", "2.0"), ("demo2", "1.0"), ("demo3", "3.0") })
        {
            WriteWheel(Path.Combine(root, "wheels"), name, version);
            WriteWheel(Path.Combine(context, "layers/0"), name, version);
        }
        // Requirements: main -> sub/base.txt (-r) -> ../constraints.txt (-c), which pins demo2 to 2.0 of two offered versions.
        Put(context + "/layers/2/main.txt", "-r sub/base.txt\n");
        Put(context + "/layers/2/sub/base.txt", "-c ../constraints.txt\ndemo2\n");
        Put(context + "/layers/2/constraints.txt", "demo2==2.0\n");
        Put(context + "/layers/3/pyproject.toml", "[project]\nname = \"p\"\nversion = \"0\"\n");
        Put(context + "/layers/3/uv.lock", "version = 1\n");
        foreach (var odd in new[] { "sp ace.txt", "d$ollar 'q'.txt", "ü.txt", "star*.txt" }) Put(context + "/layers/6/" + odd, odd);
        Put(context + "/layers/7/file", "#!/bin/sh\necho run\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(context + "/layers/7/file", (UnixFileMode)0b111_101_101);
        Put(context + "/layers/8/keep name.txt", "kept");
        return new ContextPlan(
            ValueArray.Create(
                DockerfileCases.Layer(0, null), DockerfileCases.Layer(2, "main.txt"), DockerfileCases.Layer(3, null, "demo3==3.0"),
                DockerfileCases.Layer(6, null), DockerfileCases.Layer(7, "layers/7/file"), DockerfileCases.Layer(8, "layers/8/keep name.txt")),
            null, ValueArray<ContextFile>.Empty);
    }

    // A minimal pure-Python wheel: pip needs only the module, METADATA, WHEEL and RECORD.
    private static void WriteWheel(string folder, string name, string version)
    {
        Directory.CreateDirectory(folder);
        using var zip = ZipFile.Open(Path.Combine(folder, $"{name}-{version}-py3-none-any.whl"), ZipArchiveMode.Create);
        void Entry(string path, string text) { using var w = new StreamWriter(zip.CreateEntry(path).Open()); w.Write(text); }
        var info = $"{name}-{version}.dist-info";
        Entry($"{name}/__init__.py", $"V = '{version}'\n");
        Entry($"{info}/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
        Entry($"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: cimg-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        Entry($"{info}/RECORD", $"{name}/__init__.py,,\n{info}/METADATA,,\n{info}/WHEEL,,\n{info}/RECORD,,\n");
    }
}
