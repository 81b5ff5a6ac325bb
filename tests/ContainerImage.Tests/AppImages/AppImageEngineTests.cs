using System.Text.Json;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;
using Docker = ContainerImage.Tests.Dockerfile.Engine;

namespace ContainerImage.Tests.AppImages;

/// <summary>
/// Derived images and app configuration against the real engine and registry, through the C# API: what
/// the pulled image's config says (docker image inspect) and what its container does.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class AppImageEngineTests
{
    [TestInitialize]
    public Task RequireEngine() => Engine.RequireAsync();

    [TestMethod]
    public async Task AChildBuiltFromAPushedParentCarriesItsConfigurationAndRuns()
    {
        using var inputs = new TempDirectory("cimg-appimage-inputs");
        var greeting = inputs.Write("greeting.txt", "hello from the parent");
        var parent = Image.FromBase(Engine.BusyboxImage, registry: Engine.RegistryAddress, name: Engine.UniqueRepository("cimg-appimage/parent"))
            .WithSourceFile(greeting, "/etc/greeting")
            .WithEnvVars([new("GREETING_FILE", "/etc/greeting")]);
        var title = "web \"app\" $1 \\ it's ü";
        var child = parent.Derive(Engine.UniqueRepository("cimg-appimage/child"))
            // $GREETING_FILE is expanded by the shell at run time: ENTRYPOINT's exec form keeps it literal.
            .WithEntrypoint("/bin/sh", "-c", "cat \"$GREETING_FILE\"; echo \" args:$*\"", "entry")
            .WithCommand("one", "two words")
            .WithUser("1000:1000")
            .WithExposedPorts("8080", "53/udp")
            .WithHealthcheck(["/bin/sh", "-c", "test -r /etc/greeting"], TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(5), 3)
            .WithLabels([new("org.opencontainers.image.title", title), new("org.opencontainers.image.source", "https://example.test/repo"), new("team", "it's ours")]);

        await ImagePublisher.PushAsync(parent);
        var (dockerfile, _) = await ImagePublisher.PushAsync(child);
        StringAssert.StartsWith(dockerfile, "FROM " + parent.Uri + "\n");
        try
        {
            ImagePublisher.Pull(child.Uri);
            using var inspect = JsonDocument.Parse(Docker.Docker(["image", "inspect", child.Uri]).Output);
            var config = inspect.RootElement[0].GetProperty("Config");
            CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "cat \"$GREETING_FILE\"; echo \" args:$*\"", "entry" }, Strings(config.GetProperty("Entrypoint")));
            CollectionAssert.AreEqual(new[] { "one", "two words" }, Strings(config.GetProperty("Cmd")));
            Assert.AreEqual("1000:1000", config.GetProperty("User").GetString());
            CollectionAssert.AreEquivalent(new[] { "8080/tcp", "53/udp" }, config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToArray());
            var health = config.GetProperty("Healthcheck");
            CollectionAssert.AreEqual(new[] { "CMD", "/bin/sh", "-c", "test -r /etc/greeting" }, Strings(health.GetProperty("Test")));
            Assert.AreEqual(30_000_000_000L, health.GetProperty("Interval").GetInt64());
            Assert.AreEqual(1_500_000_000L, health.GetProperty("Timeout").GetInt64());
            Assert.AreEqual(5_000_000_000L, health.GetProperty("StartPeriod").GetInt64());
            Assert.AreEqual(3, health.GetProperty("Retries").GetInt32());
            var labels = config.GetProperty("Labels");
            Assert.AreEqual(title, labels.GetProperty("org.opencontainers.image.title").GetString(), "label values stay literal");
            Assert.AreEqual("it's ours", labels.GetProperty("team").GetString());
            Assert.AreEqual("https://example.test/repo", labels.GetProperty("org.opencontainers.image.source").GetString());
            CollectionAssert.Contains(Strings(config.GetProperty("Env")), "GREETING_FILE=/etc/greeting", "the parent's environment is inherited");

            Assert.AreEqual("hello from the parent args:one two words\n", ImagePublisher.Run(child.Uri, []));
            Assert.AreEqual("1000:1000\n", ImagePublisher.Run(child.Uri, ["--entrypoint", "/bin/sh"], "-c", "echo $(id -u):$(id -g)"));
        }
        finally
        {
            ImagePublisher.Remove(child.Uri);
        }
    }

    [TestMethod]
    public async Task ASelfContainedDotnetAppRunsFromItsPublishOutput()
    {
        using var project = new TempDirectory("cimg-appimage-dotnet");
        project.Write("hello.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>" +
            "<ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup></Project>");
        project.Write("Program.cs", "Console.WriteLine($\"Hello, {string.Join(' ', args)} from .NET {Environment.Version.Major} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Split(' ')[0]}\");");
        var publish = Path.Combine(project.Path, "publish");
        var (exit, output) = await DotnetAsync(project.Path, "publish", "-c", "Release", "-r", "linux-x64", "--self-contained",
            "-p:PublishSingleFile=true", "-p:InvariantGlobalization=true", "-o", publish);
        Assert.AreEqual(0, exit, output);

        var image = Image.FromBase(Engine.RegistryAddress + "/local/debian:bookworm", registry: Engine.RegistryAddress,
                name: Engine.UniqueRepository("cimg-appimage/dotnet"))
            .WithAppPublishOutput(publish)
            .WithEntrypoint("/app/hello")
            .WithCommand("container");
        await ImagePublisher.PushAsync(image);
        try
        {
            ImagePublisher.Pull(image.Uri);
            // The base has no .NET runtime: the self-contained single file brings its own.
            Assert.AreEqual("no dotnet\n", ImagePublisher.Run(image.Uri, ["--entrypoint", "/bin/sh"], "-c", "command -v dotnet || test -e /usr/share/dotnet || echo no dotnet"));
            Assert.AreEqual("Hello, container from .NET 10 on Debian\n", ImagePublisher.Run(image.Uri, []));
            Assert.AreEqual("Hello, override from .NET 10 on Debian\n", ImagePublisher.Run(image.Uri, [], "override"), "CMD is the entrypoint's default argument");
            Assert.AreEqual("755\n", ImagePublisher.Run(image.Uri, ["--entrypoint", "/bin/sh"], "-c", "stat -c %a /app/hello"), "the execute bit survives the context");
        }
        finally
        {
            ImagePublisher.Remove(image.Uri);
        }
    }

    [TestMethod]
    public async Task AChildOfADebianImageReusesItsUserAndVenvAndRunsItsStepsAsRoot()
    {
        using var inputs = new TempDirectory("cimg-appimage-inputs");
        inputs.WriteExecutable("app/run.sh", "#!/bin/sh\necho \"$(id -un) $(stat -c %U /app/run.sh) $(cat /build-uid) $(python -c 'import sys; print(sys.prefix)')\"\n");
        // The local stand-in for python:3.11-slim-bookworm; pip mode and no apt packages, so nothing needs the network.
        var parent = Image.FromDebianBase(PythonVersion.Parse("3.11"), installCoreLibrary: false, registry: Engine.RegistryAddress,
                name: Engine.UniqueRepository("cimg-appimage/debian"), platforms: [Platform.LinuxAmd64],
                baseImageTemplate: Engine.RegistryAddress + "/local/python:{python}")
            .WithPythonInstaller(PythonInstaller.Pip)
            .WithDebianBase(d => d with { AptPackages = ValueArray<string>.Empty });
        var child = parent.Derive(Engine.UniqueRepository("cimg-appimage/debian-child"))
            .WithCommands(["id -u > /build-uid"])
            .WithAppPublishOutput(Path.Combine(inputs.Path, "app"))
            .WithEntrypoint("/app/run.sh");
        await ImagePublisher.PushAsync(parent);
        var (dockerfile, _) = await ImagePublisher.PushAsync(child);
        Assert.DoesNotContain("useradd", dockerfile, "the user is the parent's");
        Assert.DoesNotContain("venv", dockerfile, "the virtual environment is the parent's");
        try
        {
            ImagePublisher.Pull(child.Uri);
            Assert.AreEqual("app app 0 /opt/venv\n", ImagePublisher.Run(child.Uri, []),
                "runs as the base user, files owned by it, build steps as root, the parent's venv first on PATH");
        }
        finally
        {
            ImagePublisher.Remove(child.Uri);
        }
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static async Task<(int Exit, string Output)> DotnetAsync(string directory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // The test host's MSBuild variables would leak into the child build.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH" }) start.Environment.Remove(name);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
