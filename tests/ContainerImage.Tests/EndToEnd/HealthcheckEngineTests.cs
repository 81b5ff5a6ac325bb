using System.Diagnostics;
using System.Text.Json;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>A healthcheck declared with <c>ImageLayer Kind="Healthcheck"</c> items, published, inspected and run.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class HealthcheckEngineTests : EndToEndTest
{
    [TestMethod]
    public void TheImageCarriesTheHealthcheckAsDeclaredAndAContainerBecomesHealthy()
    {
        Engine.Require();
        var project = Copy("healthcheck");
        var name = "cimg-e2e5/healthcheck-" + Guid.NewGuid().ToString("N")[..10];
        Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, "publish", "-t:PublishContainerImage",
            "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        string? container = null;
        try
        {
            Assert.AreEqual(0, Engine.Docker("pull", "-q", uri).ExitCode);
            var inspect = Engine.Docker("image", "inspect", "--format", "{{json .Config.Healthcheck}}", uri);
            Assert.AreEqual(0, inspect.ExitCode, inspect.Output);
            var check = JsonDocument.Parse(inspect.Output.Trim()).RootElement;
            // Exactly the declared items, in order, in exec form (CMD, not CMD-SHELL).
            CollectionAssert.AreEqual(new[] { "CMD", "/bin/sh", "-c", "test -s /ready" },
                check.GetProperty("Test").EnumerateArray().Select(e => e.GetString()).ToArray());
            Assert.AreEqual(TimeSpan.FromSeconds(1), Nanoseconds(check, "Interval"));
            Assert.AreEqual(TimeSpan.FromSeconds(3), Nanoseconds(check, "Timeout"));
            Assert.AreEqual(TimeSpan.FromMilliseconds(500), Nanoseconds(check, "StartPeriod"));
            Assert.AreEqual(4, check.GetProperty("Retries").GetInt32());

            // The image's default command is busybox's sh: with stdin kept open (-i) it waits, so the container stays up.
            var run = Engine.Docker("run", "-d", "-i", "--pull=never", "--network=none", uri);
            Assert.AreEqual(0, run.ExitCode, run.Output);
            container = run.Output.Trim().Split('\n')[^1];
            var status = WaitForHealth(container, TimeSpan.FromSeconds(30));
            Assert.AreEqual("healthy", status, "the declared check (test -s /ready) passes in the built image");
        }
        finally
        {
            if (container is not null) Engine.Docker("rm", "--force", container);
            Engine.Docker("rmi", "--force", uri);
        }
    }

    private static TimeSpan Nanoseconds(JsonElement check, string property)
        => TimeSpan.FromTicks(check.GetProperty(property).GetInt64() / 100);

    // Polls the engine's view of the container's health until it settles or the time is up.
    private static string WaitForHealth(string container, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var status = "";
        while (clock.Elapsed < limit)
        {
            var state = Engine.Docker("inspect", "--format", "{{.State.Health.Status}}", container);
            Assert.AreEqual(0, state.ExitCode, state.Output);
            status = state.Output.Trim();
            if (status is "healthy" or "unhealthy") return status;
            Thread.Sleep(500);
        }
        return status;
    }
}
