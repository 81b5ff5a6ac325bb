using System.Text.Json;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>App images with the real engine: a published .NET app, a derived image, a locked base that moves.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class AppImageEngineTests : EndToEndTest
{
    private static string Unique(string what) => "cimg-msb5/" + what + "-" + Guid.NewGuid().ToString("N")[..10];

    [TestMethod]
    public void ADotnetAppIsPublishedIntoItsImageWithItsConfigAndLabels()
    {
        Engine.Require();
        var project = Copy("app-image");
        var name = Unique("app");
        Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, "publish", "-t:PublishContainerImage",
            "-p:RuntimeIdentifier=linux-x64", "-p:SelfContained=true", "-p:PublishSingleFile=true", "-p:InvariantGlobalization=true",
            "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        try
        {
            Assert.AreEqual(0, Engine.Docker("pull", uri).ExitCode);
            var inspect = Engine.Docker("image", "inspect", "--format", "{{json .Config}}", uri);
            Assert.AreEqual(0, inspect.ExitCode, inspect.Output);
            var config = JsonDocument.Parse(inspect.Output.Trim()).RootElement;
            CollectionAssert.AreEqual(new[] { "/app/AppImage" }, config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).ToArray());
            CollectionAssert.AreEqual(new[] { "--from-cmd" }, config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()).ToArray());
            Assert.AreEqual("1000:1000", config.GetProperty("User").GetString());
            CollectionAssert.AreEquivalent(new[] { "8080/tcp", "53/udp" }, config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToArray());
            var labels = config.GetProperty("Labels");
            Assert.AreEqual("shop", labels.GetProperty("com.example.team").GetString());
            Assert.AreEqual("1.2.3", labels.GetProperty("org.opencontainers.image.version").GetString());
            Assert.AreEqual("Team Shop", labels.GetProperty("org.opencontainers.image.authors").GetString());
            Assert.AreEqual("The app image test asset", labels.GetProperty("org.opencontainers.image.description").GetString());
            Assert.AreEqual(name, labels.GetProperty("org.opencontainers.image.title").GetString());

            var run = Engine.Docker("run", "--rm", "--pull=never", uri);
            Assert.AreEqual(0, run.ExitCode, run.Output);
            StringAssert.Contains(run.Output, "hello from the app image: --from-cmd");
            var tools = Engine.Docker("run", "--rm", "--pull=never", "--entrypoint", "/bin/sh", uri, "-c", "jq --version && cat /etc/app-image-marker && id -u");
            Assert.AreEqual(0, tools.ExitCode, tools.Output);
            StringAssert.Contains(tools.Output, "jq-");
            StringAssert.Contains(tools.Output, "built-by-commands\n1000");
        }
        finally
        {
            Engine.Docker("rmi", "--force", uri);
        }
    }

    [TestMethod]
    public void ADerivedCloneIsPublishedAfterItsParentAndRuns()
    {
        Engine.Require();
        var project = Copy("app-config");
        var name = Unique("config");
        var child = Unique("worker");
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile).Replace("app-config-worker", child, StringComparison.Ordinal));
        var result = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, "publish", "-t:PublishContainerImage",
            "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name));
        var parentUri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        var childUri = File.ReadAllText(project.ImageFile(child, "uri.txt")).Trim();
        try
        {
            StringAssert.StartsWith(File.ReadAllText(project.ImageFile(child, "Dockerfile")), "FROM " + parentUri + "\n");
            Assert.IsTrue(result.Output.IndexOf("Published " + parentUri, StringComparison.Ordinal)
                < result.Output.IndexOf("Published " + childUri, StringComparison.Ordinal), result.Output);
            Assert.AreEqual(0, Engine.Docker("pull", childUri).ExitCode);
            var run = Engine.Docker("run", "--rm", "--pull=never", childUri);
            Assert.AreEqual(0, run.ExitCode, run.Output);
            // The engine may print a warning of its own first; the container's output is the last line.
            Assert.AreEqual("worker", run.Output.Trim().Split('\n')[^1]);
        }
        finally
        {
            Engine.Docker("rmi", "--force", parentUri);
            Engine.Docker("rmi", "--force", childUri);
        }
    }

    [TestMethod]
    public void ALockedBaseFailsWithCimg1031WhenItsTagMoves()
    {
        Engine.Require();
        var project = Copy("base-pinning");
        var baseTag = "127.0.0.1:5000/" + Unique("base") + ":1";
        Assert.AreEqual(0, Engine.Docker("pull", "127.0.0.1:5000/local/busybox:static").ExitCode);
        Assert.AreEqual(0, Engine.Docker("pull", "127.0.0.1:5000/local/debian:bookworm").ExitCode);
        try
        {
            Assert.AreEqual(0, Engine.Docker("tag", "127.0.0.1:5000/local/busybox:static", baseTag).ExitCode);
            Assert.AreEqual(0, Engine.Docker("push", baseTag).ExitCode);
            string[] build = ["build", "-p:ImageBasePinning=locked", "-p:ImageBaseUri=" + baseTag];
            Succeeded(project, project.Dotnet(build));
            var lockFile = Path.Combine(project.Directory, "image.lock.json");
            var locked = JsonDocument.Parse(File.ReadAllText(lockFile)).RootElement.GetProperty("bases").GetProperty(baseTag).GetString()!;
            StringAssert.StartsWith(File.ReadAllText(project.ImageFile("base-pinning", "Dockerfile")), "FROM " + baseTag + "@" + locked + "\n");
            Succeeded(project, project.Dotnet(build));

            // Move the tag to another image: the lock no longer matches.
            Assert.AreEqual(0, Engine.Docker("tag", "127.0.0.1:5000/local/debian:bookworm", baseTag).ExitCode);
            Assert.AreEqual(0, Engine.Docker("push", baseTag).ExitCode);
            var moved = Failed(project, project.Dotnet(build));
            StringAssert.Contains(moved.Output, "error CIMG1031");
            StringAssert.Contains(moved.Output, locked);
            Assert.AreEqual(locked, JsonDocument.Parse(File.ReadAllText(lockFile)).RootElement.GetProperty("bases").GetProperty(baseTag).GetString());
        }
        finally
        {
            Engine.Docker("rmi", "--force", baseTag);
        }
    }
}
