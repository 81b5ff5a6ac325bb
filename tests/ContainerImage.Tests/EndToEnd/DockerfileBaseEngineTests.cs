namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// <c>ImageDockerfile</c> through the MSBuild front door with the real engine: the user's Dockerfile is
/// built as it is, and its identifier covers every file of its context that its .dockerignore lets through.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class DockerfileBaseEngineTests : EndToEndTest
{
    [TestMethod]
    public void AContextFileChangeGivesANewTagAndAnIgnoredFileDoesNot()
    {
        Engine.Require();
        var project = Copy("dockerfile-context");
        var name = "cimg-e2e5/dockerfile-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name];
        var docker = Path.Combine(project.Directory, "docker");
        var uris = new List<string>();
        try
        {
            Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            var first = CurrentUri(project, name, uris);
            Assert.AreEqual("hello from the user's Dockerfile", Run(first));

            // Excluded by the Dockerfile's .dockerignore: not in the context Docker gets, so not in the identifier.
            File.WriteAllText(Path.Combine(docker, "notes.md"), "edited notes\n");
            var ignored = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            Assert.AreEqual(first, CurrentUri(project, name, uris), "an ignored file does not change the identifier");
            StringAssert.Contains(ignored.Output, first + " is up to date in its registry");

            // A file the Dockerfile COPYs: a new identifier, a new tag, built and runnable; the old tag stays.
            File.WriteAllText(Path.Combine(docker, "greeting.txt"), "hello again\n");
            var copied = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            var second = CurrentUri(project, name, uris);
            Assert.AreNotEqual(first, second);
            StringAssert.Contains(copied.Output, second + " differs from the last publish from this project");
            StringAssert.Contains(copied.Output, "  Dockerfile Dockerfile with context docker: greeting.txt changed");
            StringAssert.Contains(copied.Output, "Published " + second);
            Assert.AreEqual("hello again", Run(second));
            Assert.IsNotNull(RegistryManifests.Get(first), "the earlier tag is still in the registry");

            // Not copied, not ignored: Docker still sends it as context, and the design hashes the whole
            // context (docs/identifier.md), so this is a new identifier too.
            File.WriteAllText(Path.Combine(docker, "extra.txt"), "edited\n");
            var extra = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            var third = CurrentUri(project, name, uris);
            Assert.AreNotEqual(second, third);
            StringAssert.Contains(extra.Output, "  Dockerfile Dockerfile with context docker: extra.txt changed");
            Assert.IsFalse(extra.Output.Contains("notes.md", StringComparison.Ordinal), extra.Output);
        }
        finally
        {
            foreach (var uri in uris.Distinct()) Engine.Docker("rmi", "--force", uri);
        }
    }

    private static string CurrentUri(TestProject project, string name, List<string> seen)
    {
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        seen.Add(uri);
        return uri;
    }

    private static string Run(string uri)
    {
        Assert.AreEqual(0, Engine.Docker("pull", "-q", uri).ExitCode);
        var run = Engine.Docker("run", "--rm", "--pull=never", "--network=none", uri);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        return run.Output.Trim().Split('\n')[^1];
    }
}
