namespace ContainerImage.Tests.EndToEnd;

/// <summary>Publishes real images with the packed SDK to the local registry, pulls and runs them.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class EnginePublishTests : EndToEndTest
{
    [TestMethod]
    public void PublishPushesARunnableImageAndASecondPublishSkipsBuildx()
    {
        Engine.Require();
        var project = Copy("base-uri");
        var name = "cimg-tasks-e2e/busybox-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name];
        var first = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        StringAssert.StartsWith(uri, "127.0.0.1:5000/" + name + ":");
        StringAssert.Contains(first.Output, "Published " + uri);
        var result = File.ReadAllText(project.ImageFile(name, "publish.json"));
        StringAssert.Contains(result, "\"digest\": \"sha256:");
        StringAssert.Contains(result, "\"skipped\": false");

        try
        {
            Assert.AreEqual(0, Engine.Docker("pull", uri).ExitCode);
            var run = Engine.Docker("run", "--rm", "--pull=never", uri, "cat", "/app/greeting.txt", "/app/payload.txt");
            Assert.AreEqual(0, run.ExitCode, run.Output);
            StringAssert.Contains(run.Output, "hello from msbuild\npayload from the source folder\n");

            var second = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, [.. publish, "-v:n"]));
            StringAssert.Contains(second.Output, uri + " is up to date in its registry");
            Assert.IsFalse(second.Output.Contains("Building " + uri, StringComparison.Ordinal), "buildx must not run for an image the registry has");
            StringAssert.Contains(File.ReadAllText(project.ImageFile(name, "publish.json")), "\"skipped\": true");

            var forced = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, [.. publish, "-p:ImageForceBuild=true"]));
            StringAssert.Contains(forced.Output, "Building " + uri, "ImageForceBuild builds even when the registry has the image");
        }
        finally
        {
            Engine.Docker("rmi", "--force", uri);
        }
    }

    [TestMethod]
    public void EscapedValuesArriveInTheImageExactlyAsDeclared()
    {
        Engine.Require();
        var project = Copy("escaping");
        var name = "cimg-tasks-e2e/escaping-" + Guid.NewGuid().ToString("N")[..10];
        Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, "publish", "-t:PublishContainerImage", "-p:ImageOutput=load", "-p:ImageName=" + name));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        try
        {
            var files = Engine.Docker("run", "--rm", "--pull=never", uri, "ls", "-1", "/e");
            Assert.AreEqual(0, files.ExitCode, files.Output);
            var names = files.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            foreach (var expected in new[]
            {
                "semi-a", "semi-b", "escaped-a", "escaped-b", "star-*", "question-?", "meta-*-?", "dollar-x-",
                "at-@(x)-100%", "double quoted", "single quoted", "element-it's", "element-ok",
            })
            {
                Assert.IsTrue(names.Contains(expected), $"'{expected}' missing from /e: {string.Join(" | ", names)}");
            }
            var env = Engine.Docker("run", "--rm", "--pull=never", uri, "env");
            Assert.AreEqual(0, env.ExitCode, env.Output);
            var variables = env.Output.Split('\n');
            CollectionAssert.Contains(variables, "SEMI=a;b");
            CollectionAssert.Contains(variables, "DOLLAR=$(HOME) $HOME");
            CollectionAssert.Contains(variables, "MIXED=50% * ? @ @(x) %(y)");
            CollectionAssert.Contains(variables, "QUOTES=say \"hi\" it's");
        }
        finally
        {
            Engine.Docker("rmi", "--force", uri);
        }
    }
}
