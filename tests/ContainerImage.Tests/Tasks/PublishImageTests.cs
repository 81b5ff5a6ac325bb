using System.Diagnostics;
using ContainerImage.Diagnostics;
using ContainerImage.Tasks;

namespace ContainerImage.Tests.Tasks;

/// <summary>
/// PublishImage's failure paths in-process, with a stand-in docker CLI (a shell script) where the real
/// engine cannot show them: cancellation mid-build, a failing build, an unreachable registry.
/// The real engine path is covered by EndToEnd/EnginePublishTests.
/// </summary>
[TestClass]
public sealed class PublishImageTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDefinition()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cimg-tasks-unit", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(_directory, "App.csproj"), "<Project />");
        // A registry on a closed loopback port: the existence check fails fast.
        var definition = new ImageDefinitionRecord("127.0.0.1:9/cimg-tasks-unit:abc", "abc", "127.0.0.1:9",
            Path.Combine(_directory, "Dockerfile"), _directory, ["linux/amd64"], []);
        File.WriteAllText(Path.Combine(_directory, "image.json"), definition.ToJson());
        File.WriteAllText(Path.Combine(_directory, "publish.json"), "{ \"stale\": true }");
    }

    [TestCleanup]
    public void RemoveDefinition() => Directory.Delete(_directory, recursive: true);

    private string FakeDocker(string buildBody)
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("The stand-in docker CLI is a POSIX shell script.");
        var script = Path.Combine(_directory, "fake-docker.sh");
        File.WriteAllText(script, "#!/bin/sh\nif [ \"$1 $2\" = \"buildx version\" ]; then echo 'buildx v0.13.1'; exit 0; fi\n"
            // The stand-in engine is up: a failed build is then the build's fault, not the engine's.
            + "if [ \"$1\" = \"version\" ]; then echo '26.1.5'; exit 0; fi\n" + buildBody + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private PublishImage Task(RecordingBuildEngine engine, string docker, string output) => new()
    {
        BuildEngine = engine,
        ProjectFile = Path.Combine(_directory, "App.csproj"),
        DefinitionFiles = [Path.Combine(_directory, "image.json")],
        ImageDockerCommand = docker,
        ImageOutput = output,
        ImageRegistryRetries = "0",
        ImageRegistryTimeout = "2",
    };

    [TestMethod]
    public void CancelStopsBuildxAndLeavesNoResult()
    {
        var engine = new RecordingBuildEngine();
        var task = Task(engine, FakeDocker("echo step 1; sleep 60; echo never"), "load");
        var watch = Stopwatch.StartNew();
        var running = System.Threading.Tasks.Task.Run(task.Execute);
        SpinWait.SpinUntil(() => engine.Messages.Any(m => m.Message == "step 1"), TimeSpan.FromSeconds(20));
        task.Cancel();
        Assert.IsTrue(running.Wait(TimeSpan.FromSeconds(20)), "the task must return soon after Cancel");
        Assert.IsFalse(running.Result);
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(40), "buildx was not stopped");
        Assert.AreEqual(DiagnosticCodes.BuildCancelled, engine.Errors.Single().Code);
        Assert.IsFalse(File.Exists(Path.Combine(_directory, "publish.json")), "a cancelled build leaves no result behind");
    }

    [TestMethod]
    public void UnreachableRegistryWarnsAndBuildsAndAFailedBuildIsACodedError()
    {
        var engine = new RecordingBuildEngine();
        var task = Task(engine, FakeDocker("echo 'ERROR: failed to solve: boom'; exit 3"), "push");
        Assert.IsFalse(task.Execute());
        var warning = engine.Warnings.Single();
        Assert.AreEqual(DiagnosticCodes.RegistryCheckFailed, warning.Code, warning.Message);
        var error = engine.Errors.Single();
        Assert.AreEqual(DiagnosticCodes.BuildFailed, error.Code);
        StringAssert.Contains(error.Message, "boom");
        StringAssert.Contains(error.Message, "exit code 3");
        Assert.IsTrue(engine.Messages.Any(m => m.Message!.Contains("failed to solve", StringComparison.Ordinal)), "buildx output is streamed to the log");
        Assert.IsFalse(File.Exists(Path.Combine(_directory, "publish.json")), "a failed build leaves no result behind");
    }
}
