using System.Net;
using System.Net.Sockets;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>A registry that does not answer is never taken for "the image exists", now or on the next run.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class RegistryDownEngineTests : EndToEndTest
{
    [TestMethod]
    public void ARegistryThatIsDownGivesCodedDiagnosticsAndNoFalseUpToDateNextTime()
    {
        Engine.Require();
        var project = Copy("base-uri");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port; // free, and closed again: nothing listens there
        }
        var name = "cimg-e2e/down-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", $"-p:ImageRegistry=127.0.0.1:{port}", "-p:ImageName=" + name,
            "-p:ImageRegistryRetries=0", "-p:ImageRegistryTimeout=2"];

        foreach (var attempt in new[] { "first", "second" })
        {
            var result = Failed(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            StringAssert.Contains(result.Output, "warning CIMG1001", $"{attempt} run: the failed check is a coded warning");
            StringAssert.Contains(result.Output, "error CIMG3111", $"{attempt} run: the failed push (from the layout folder, over HTTP) is a coded error");
            Assert.IsFalse(result.Output.Contains("is up to date in its registry", StringComparison.Ordinal), $"{attempt} run: never 'up to date'");
            var publishJson = project.ImageFile(name, "publish.json");
            Assert.IsFalse(File.Exists(publishJson) && File.ReadAllText(publishJson).Contains("\"skipped\": true", StringComparison.Ordinal),
                $"{attempt} run: nothing records the image as published");
        }
    }
}
