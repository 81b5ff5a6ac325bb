using ContainerImage.Tests.Fixtures;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// <c>ImageUvScript</c> with <c>ImagePythonInstaller=pip</c> through the MSBuild front door: the PEP 723
/// header's dependencies come from a local wheel index, its requires-python picks the base image's
/// Python version, and editing the dependencies gives a new tag with an explanation.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class UvScriptEngineTests : EndToEndTest
{
    [TestMethod]
    public void AUvScriptIsPublishedWithItsDependenciesAndRunsAndItsHeaderDrivesTheTag()
    {
        Engine.Require();
        using var wheels = WheelIndex.Start(
            ("cimg-greeting", "1.0", "hello from a local wheel", []),
            ("cimg-extra", "2.0", "extra", []));
        var project = Copy("uv-script-pip");
        var id = Guid.NewGuid().ToString("N")[..10];
        var name = "cimg-e2e5/uv-script-" + id;
        const string baseRepository = "127.0.0.1:5000/local/python";
        string[] definition = ["-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-p:ImageDebianBaseImage=" + baseRepository + ":{python}"];
        // The first publish takes the index from a property (as a CI mirror would), the second from the header.
        string[] indexProperty = ["-p:ImageUvScriptIndexUrl=" + wheels.IndexUrl];
        var script = Path.Combine(project.Directory, "script.py");
        var uris = new List<string>();
        try
        {
            var first = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, ["publish", "-t:PublishContainerImage", .. definition, .. indexProperty]));
            var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
            uris.Add(uri);
            StringAssert.Contains(first.Output, "Published " + uri);
            // requires-python ">=3.11,<3.12" chose 3.11, so {python} became 3.11.
            StringAssert.StartsWith(File.ReadAllText(project.ImageFile(name, "Dockerfile")), "FROM " + baseRepository + ":3.11\n");
            Assert.AreEqual("python 3.11: hello from a local wheel", Run(uri));
            Assert.IsTrue(wheels.Requests > 0, "pip fetched the dependency from the local index");

            // A header that allows the default (3.12) picks it; ImagePythonVersion overrides the header.
            var header = File.ReadAllText(script);
            File.WriteAllText(script, header.Replace("\">=3.11,<3.12\"", "\">=3.10\"", StringComparison.Ordinal));
            Succeeded(project, project.Dotnet(["build", .. definition]));
            StringAssert.StartsWith(File.ReadAllText(project.ImageFile(name, "Dockerfile")), "FROM " + baseRepository + ":3.12\n");
            Succeeded(project, project.Dotnet(["build", "-p:ImagePythonVersion=3.11", .. definition]));
            StringAssert.StartsWith(File.ReadAllText(project.ImageFile(name, "Dockerfile")), "FROM " + baseRepository + ":3.11\n");

            // Back to the original header plus one more dependency, and the index in its [tool.uv] table instead
            // of the property: a new tag, explained, installed from the header's index.
            var requestsBefore = wheels.Requests;
            File.WriteAllText(script, header
                .Replace("[\"cimg-greeting==1.0\"]", $"[\"cimg-greeting==1.0\", \"cimg-extra==2.0\"]\n#\n# [tool.uv]\n# index-url = \"{wheels.IndexUrl}\"", StringComparison.Ordinal)
                .Replace("import cimg_greeting\n", "import cimg_extra\nimport cimg_greeting\n", StringComparison.Ordinal)
                .Replace("{cimg_greeting.VALUE}", "{cimg_greeting.VALUE} + {cimg_extra.VALUE}", StringComparison.Ordinal));
            var second = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, ["publish", "-t:PublishContainerImage", .. definition]));
            var edited = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
            uris.Add(edited);
            Assert.AreNotEqual(uri, edited, "new dependencies make a new identifier, so a new tag");
            StringAssert.Contains(second.Output, edited + " differs from the last publish from this project");
            StringAssert.Contains(second.Output, "packages cimg-greeting==1.0 -> cimg-greeting==1.0, cimg-extra==2.0");
            Assert.AreEqual("python 3.11: hello from a local wheel + extra", Run(edited));
            Assert.IsTrue(wheels.Requests > requestsBefore, "pip fetched the new dependency from the header's index");
        }
        finally
        {
            foreach (var uri in uris) Engine.Docker("rmi", "--force", uri);
        }
    }

    private static string Run(string uri)
    {
        Assert.AreEqual(0, Engine.Docker("pull", "-q", uri).ExitCode);
        var run = Engine.Docker("run", "--rm", "--pull=never", "--network=none", uri);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        return run.Output.Trim().Split('\n')[^1];
    }
}
