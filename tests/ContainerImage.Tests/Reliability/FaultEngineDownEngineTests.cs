using E2EEngine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// DOCKER_HOST pointing at a socket nobody listens on: a coded error that says the engine is not
/// reachable and how to fix it, nothing recorded as published; with the engine back, the next publish builds.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class FaultEngineDownEngineTests : FaultEngineTest
{
    [TestMethod]
    public void AnEngineThatIsDownGivesACodedErrorAndTheNextPublishBuilds()
    {
        E2EEngine.Require();
        var project = Copy("base-uri");
        var name = UniqueName("engine-down");
        var socket = Path.Combine(Path.GetTempPath(), $"cimg-faults-no-engine-{Guid.NewGuid():N}.sock");
        string[] properties = [$"ImageRegistry={Infrastructure.Engine.RegistryAddress}", "ImageName=" + name];

        var (down, _) = Publish(project, new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + socket }, properties);
        Failed(project, down);
        StringAssert.Contains(down.Output, "error CIMG3101", "an unreachable engine has its own code");
        StringAssert.Contains(down.Output, "The Docker engine is not reachable", "the message says what is wrong");
        StringAssert.Contains(down.Output, socket, "the message names the DOCKER_HOST in use");
        StringAssert.Contains(down.Output, "Start the engine", "the message says how to fix it");
        Assert.IsFalse(down.Output.Contains("CIMG3002", StringComparison.Ordinal), "not reported as a failed build\n" + down.Output);
        Assert.IsFalse(down.Output.Contains("MSB4018", StringComparison.Ordinal), "never an MSBuild crash");
        AssertNotUpToDate(down, "engine down");
        AssertNothingRecorded(project, name, "engine down");

        var (up, _) = Publish(project, null, properties);
        Succeeded(project, up);
        AssertNotUpToDate(up, "engine back");
        Assert.AreEqual(RegistryDigest(PublishedUri(up.Output)), PublishedDigest(up.Output), "the next publish built and pushed it");
    }
}
