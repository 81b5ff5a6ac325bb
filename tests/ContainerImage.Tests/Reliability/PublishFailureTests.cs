using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Tasks;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Reliability;

/// <summary>Which code a failed publish gets: killed, engine unreachable, push refused, or a failed build.</summary>
[TestClass]
public sealed class PublishFailureTests
{
    private const string Uri = "127.0.0.1:5000/app:1";

    [TestMethod]
    [DataRow(255, "its buildx plugin was ended by a signal")]
    [DataRow(137, "ended by signal 9")]
    [DataRow(143, "ended by signal 15")]
    public void ACommandEndedWithoutAnErrorWasKilled(int exitCode, string cause)
    {
        using var docker = FakeDocker(engineUp: true);
        var error = PublishFailure.For(new BuildResult(exitCode, null, ["#5 [2/2] RUN sleep 20"]), Uri, "127.0.0.1:5000", docker.Command, default);
        Assert.AreEqual(DiagnosticCodes.BuildProcessEndedUnexpectedly, error.Code);
        StringAssert.Contains(error.Message, "docker buildx build ended unexpectedly");
        StringAssert.Contains(error.Message, cause);
    }

    [TestMethod]
    public void AKilledPushNamesDockerPush()
    {
        using var docker = FakeDocker(engineUp: true);
        var error = PublishFailure.For(new BuildResult(137, null, []) { FailedStep = BuildStep.Push }, Uri, "127.0.0.1:5000", docker.Command, default);
        StringAssert.Contains(error.Message, "docker push ended unexpectedly");
    }

    [TestMethod]
    public void AnExit255ThatReportedAnErrorIsAFailedBuild()
    {
        using var docker = FakeDocker(engineUp: true);
        var error = PublishFailure.For(new BuildResult(255, null, ["ERROR: failed to solve: boom"]), Uri, "127.0.0.1:5000", docker.Command, default);
        Assert.AreEqual(DiagnosticCodes.BuildFailed, error.Code);
    }

    [TestMethod]
    public void AFailureWithTheEngineDownSaysTheEngineIsNotReachable()
    {
        using var docker = FakeDocker(engineUp: false);
        var error = PublishFailure.For(new BuildResult(1, null, ["ERROR: Cannot connect"]), Uri, "127.0.0.1:5000", docker.Command, default);
        Assert.AreEqual(DiagnosticCodes.EngineUnreachable, error.Code);
        // The message shows the DOCKER_HOST in force (read, not set here: other tests share the process).
        StringAssert.Contains(error.Message, Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unset");
        StringAssert.Contains(error.Message, "Cannot connect to the Docker daemon");
    }

    [TestMethod]
    public void AFailedPushNamesTheRegistryAndAFailedBuildStaysABuildFailure()
    {
        using var docker = FakeDocker(engineUp: true);
        var push = PublishFailure.For(new BuildResult(1, null, ["unexpected status: 500 Internal Server Error"]) { FailedStep = BuildStep.Push },
            Uri, "127.0.0.1:5000", docker.Command, default);
        Assert.AreEqual(DiagnosticCodes.PushFailed, push.Code);
        StringAssert.Contains(push.Message, "to registry '127.0.0.1:5000'");
        StringAssert.Contains(push.Message, "500 Internal Server Error");
        var build = PublishFailure.For(new BuildResult(1, null, ["ERROR: failed to solve"]), Uri, "127.0.0.1:5000", docker.Command, default);
        Assert.AreEqual(DiagnosticCodes.BuildFailed, build.Code);
    }

    private static FakeCli FakeDocker(bool engineUp)
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("The stand-in docker CLI is a POSIX shell script.");
        var folder = new TempDirectory("cimg-faults-fake-docker");
        var script = folder.Write("docker", engineUp
            ? "#!/bin/sh\necho 26.1.5\n"
            : "#!/bin/sh\necho 'Cannot connect to the Docker daemon at unix:///nowhere/docker.sock. Is the docker daemon running?' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new FakeCli(folder, script);
    }

    private sealed record FakeCli(TempDirectory Folder, string Command) : IDisposable
    {
        public void Dispose() => Folder.Dispose();
    }
}
