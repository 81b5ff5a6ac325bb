using E2EEngine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// buildx killed half-way through a slow RUN step, and a publish cancelled with Ctrl+C: a coded error
/// with the cause, no publish.json, buildx gone, and the next publish rebuilds and pushes.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class FaultKilledBuildEngineTests : FaultEngineTest
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan EndTimeout = TimeSpan.FromMinutes(2);

    [TestMethod]
    public void KillingBuildxGivesACodedErrorAndTheNextPublishRebuilds()
    {
        E2EEngine.Require();
        var project = Copy("slow-command");
        var name = UniqueName("killed");
        string[] properties = [$"ImageRegistry={Infrastructure.Engine.RegistryAddress}", "ImageName=" + name, "FaultRunId=" + Guid.NewGuid().ToString("N")];

        using (var publish = RunningPublish.Start(project, E2EEngine.ChildEnvironment, properties))
        {
            var buildx = publish.WaitForDescendant("docker-buildx", "build", StartTimeout);
            Thread.Sleep(TimeSpan.FromSeconds(3)); // inside the 20 s RUN step
            RunningPublish.Kill(buildx);
            var killed = publish.WaitForExit(EndTimeout);
            Failed(project, killed);
            StringAssert.Contains(killed.Output, "error CIMG3102", "a killed buildx has its own code");
            StringAssert.Contains(killed.Output, "docker buildx build ended unexpectedly", "the message names what ended");
            StringAssert.Contains(killed.Output, "signal", "the message gives the cause");
            Assert.IsFalse(killed.Output.Contains("MSB4018", StringComparison.Ordinal), "never an MSBuild crash");
            AssertNotUpToDate(killed, "buildx killed");
            AssertNothingRecorded(project, name, "buildx killed");
            AssertNoTemporaryFiles(Path.Combine(project.Directory, "obj"), "buildx killed");
        }

        var (next, _) = Publish(project, null, properties);
        Succeeded(project, next);
        AssertNotUpToDate(next, "after the kill");
        Assert.AreEqual(RegistryDigest(PublishedUri(next.Output)), PublishedDigest(next.Output), "the next publish rebuilt and pushed it");
    }

    [TestMethod]
    public void CtrlCStopsBuildxAndGivesTheCancelledCode()
    {
        E2EEngine.Require();
        var project = Copy("slow-command");
        var name = UniqueName("cancelled");
        string[] properties = [$"ImageRegistry={Infrastructure.Engine.RegistryAddress}", "ImageName=" + name, "FaultRunId=" + Guid.NewGuid().ToString("N")];

        using var publish = RunningPublish.Start(project, E2EEngine.ChildEnvironment, properties);
        var buildx = publish.WaitForDescendant("docker-buildx", "build", StartTimeout);
        Thread.Sleep(TimeSpan.FromSeconds(3));
        publish.Interrupt();
        var cancelled = publish.WaitForExit(EndTimeout);
        Failed(project, cancelled);
        Assert.IsFalse(RunningPublish.IsRunning(buildx), "Ctrl+C must stop buildx, not leave it building");
        StringAssert.Contains(cancelled.Output, "CIMG3003", "the cancelled build is coded");
        Assert.IsFalse(cancelled.Output.Contains("MSB4018", StringComparison.Ordinal), "never an MSBuild crash");
        AssertNotUpToDate(cancelled, "cancelled");
        AssertNothingRecorded(project, name, "cancelled");
        AssertNoTemporaryFiles(Path.Combine(project.Directory, "obj"), "cancelled");
    }
}
