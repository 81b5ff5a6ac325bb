using System.Text.RegularExpressions;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// Real `dotnet build` / `dotnet publish -t:PublishContainerImage -p:ImageDryRun=true` runs on test
/// assets with the packed SDK: no engine needed. They check the generated files, incrementality and clean.
/// </summary>
[TestClass]
public sealed partial class DryRunTests : EndToEndTest
{
    [TestMethod]
    public void StandaloneProjectGeneratesDockerfileContextAndIdentifier()
    {
        var project = Copy("base-uri");
        var result = Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        var identifier = File.ReadAllText(project.ImageFile("baseuri", "identifier.txt")).Trim();
        Assert.IsTrue(Hex64().IsMatch(identifier), identifier);
        Assert.AreEqual("baseuri:" + identifier, File.ReadAllText(project.ImageFile("baseuri", "uri.txt")).Trim());
        StringAssert.Contains(result.Output, "ImageUri: baseuri:" + identifier);
        var dockerfile = File.ReadAllText(project.ImageFile("baseuri", "Dockerfile"));
        StringAssert.StartsWith(dockerfile, "FROM 127.0.0.1:5000/local/busybox:static");
        StringAssert.Contains(dockerfile, "ENV GREETING=");
        StringAssert.Contains(dockerfile, "RUN echo \"$GREETING\" > /app/greeting.txt");
        StringAssert.Contains(result.Output, "RUN echo \"$GREETING\" > /app/greeting.txt", "the dry run prints the Dockerfile");
        Assert.AreEqual("payload from the source folder\n",
            File.ReadAllText(Path.Combine(project.ImageFile("baseuri", "context"), "layers", "0", "payload.txt")));
        StringAssert.Contains(File.ReadAllText(project.ImageFile("baseuri", "identity.json")), identifier);
        StringAssert.Contains(File.ReadAllText(project.ImageFile("baseuri", "publish.json")), "\"skipped\": true");
    }

    [TestMethod]
    public void TheImageFolderFilesAreFileWritesAndTheContextTreeIsNotListed()
    {
        var project = Copy("base-uri");
        Succeeded(project, project.Dotnet("build"));
        // -getItem prints the items as they are after the targets ran.
        var result = Succeeded(project, project.Dotnet("msbuild", "-t:GenerateImageDefinition", "-getItem:FileWrites"));
        var imageFolder = Path.GetFullPath(project.ImageFile("baseuri", "."));
        // Only the JSON is printed: {"Items": {"FileWrites": [{"Identity": ...}, ...]}}.
        using var json = System.Text.Json.JsonDocument.Parse(result.Output[result.Output.IndexOf('{')..]);
        var writes = json.RootElement.GetProperty("Items").GetProperty("FileWrites").EnumerateArray()
            .Select(item => Path.GetFullPath(item.GetProperty("Identity").GetString()!)).ToList();
        foreach (var file in new[] { "Dockerfile", "image.json", "identifier.txt", "uri.txt", "inputs.stamp" })
        {
            CollectionAssert.Contains(writes, Path.Combine(imageFolder, file), file + " is registered in FileWrites:\n" + result.Output);
        }
        Assert.IsFalse(writes.Any(w => w.StartsWith(Path.Combine(imageFolder, "context") + Path.DirectorySeparatorChar, StringComparison.Ordinal)),
            "the context tree is not listed:\n" + result.Output);
    }

    [TestMethod]
    public void SecondRunSkipsGenerationAndAnyChangeRerunsIt()
    {
        var project = Copy("base-uri");
        Succeeded(project, project.Dotnet("build"));
        var identifierFile = project.ImageFile("baseuri", "identifier.txt");
        var first = File.ReadAllText(identifierFile);
        var dockerfileTime = File.GetLastWriteTimeUtc(project.ImageFile("baseuri", "context/layers/0/payload.txt"));

        var again = Succeeded(project, project.Dotnet("build", "-v:d"));
        StringAssert.Contains(again.Output, "Skipping target \"GenerateImageDefinition\" because all output files are up-to-date");
        Assert.AreEqual(dockerfileTime, File.GetLastWriteTimeUtc(project.ImageFile("baseuri", "context/layers/0/payload.txt")));

        File.WriteAllText(Path.Combine(project.Directory, "src", "payload.txt"), "changed\n");
        var changedFile = Succeeded(project, project.Dotnet("build", "-v:d"));
        Assert.IsFalse(changedFile.Output.Contains("Skipping target \"GenerateImageDefinition\"", StringComparison.Ordinal), "a changed input file reruns generation");
        var second = File.ReadAllText(identifierFile);
        Assert.AreNotEqual(first, second, "a changed file changes the identifier");

        var changedProperty = Succeeded(project, project.Dotnet("build", "-v:d", "-p:ImageTag=v2"));
        Assert.IsFalse(changedProperty.Output.Contains("Skipping target \"GenerateImageDefinition\"", StringComparison.Ordinal), "a changed -p: property reruns generation");
        Assert.AreEqual("baseuri:v2", File.ReadAllText(project.ImageFile("baseuri", "uri.txt")).Trim());

        File.WriteAllText(Path.Combine(project.Directory, "src", "new.txt"), "new file\n");
        var newFile = Succeeded(project, project.Dotnet("build", "-v:d", "-p:ImageTag=v2"));
        Assert.IsFalse(newFile.Output.Contains("Skipping target \"GenerateImageDefinition\"", StringComparison.Ordinal), "a new file in a source folder reruns generation");
        Assert.IsTrue(File.Exists(Path.Combine(project.ImageFile("baseuri", "context"), "layers", "0", "new.txt")));
    }

    [TestMethod]
    public void CleanRemovesWhatWasGenerated()
    {
        var project = Copy("base-uri");
        Succeeded(project, project.Dotnet("build"));
        Assert.IsTrue(File.Exists(project.ImageFile("baseuri", "Dockerfile")));
        Succeeded(project, project.Dotnet("clean"));
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "obj", "containerimage", "baseuri")));
    }

    [TestMethod]
    public void DebianBaseUsesTheConfiguredBaseImageAndPackages()
    {
        var project = Copy("debian");
        Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        var dockerfile = File.ReadAllText(project.ImageFile("debian", "Dockerfile"));
        StringAssert.Contains(dockerfile, "FROM 127.0.0.1:5000/local/python:3.11");
        StringAssert.Contains(dockerfile, "curl");
        StringAssert.Contains(dockerfile, "requests==2.32.3");
    }

    [TestMethod]
    public void DockerfileBaseHashesItsWholeContext()
    {
        var project = Copy("dockerfile");
        Succeeded(project, project.Dotnet("build"));
        var first = File.ReadAllText(project.ImageFile("fromdockerfile", "identifier.txt"));
        File.WriteAllText(Path.Combine(project.Directory, "docker", "hello.txt"), "changed\n");
        Succeeded(project, project.Dotnet("build"));
        Assert.AreNotEqual(first, File.ReadAllText(project.ImageFile("fromdockerfile", "identifier.txt")),
            "a file the Dockerfile's context holds changes the identifier");
    }

    [TestMethod]
    public void UvScriptHeaderPicksPythonAndPackages()
    {
        var project = Copy("uv-script");
        Succeeded(project, project.Dotnet("build"));
        var dockerfile = File.ReadAllText(project.ImageFile("uvscript", "Dockerfile"));
        StringAssert.Contains(dockerfile, "FROM 127.0.0.1:5000/local/python:3.11");
        StringAssert.Contains(dockerfile, "requests>=2.31");
    }

    [TestMethod]
    public void EveryLayerKindAndSecretMapsWithoutLeakingSecretValues()
    {
        var project = Copy("all-layers");
        var result = Succeeded(project, project.DotnetWithEnvironment(new Dictionary<string, string> { ["CIMG_E2E_TOKEN"] = "s3cr3t-token-value" },
            "publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        StringAssert.Contains(result.Output, "ImageUri: 127.0.0.1:5000/all-layers:e2e");
        var dockerfile = File.ReadAllText(project.ImageFile("all-layers", "Dockerfile"));
        foreach (var expected in new[] { "id=apt_auth", "id=index_token", "https://a.example/simple", "--pre", "--no-deps", "ENV APP_MODE=", "WORKDIR \"/opt/app\"", "/etc/app.yaml" })
        {
            StringAssert.Contains(dockerfile, expected);
        }
        var context = project.ImageFile("all-layers", "context");
        var files = Directory.GetFiles(context, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(context, f).Replace('\\', '/')).ToList();
        Assert.IsTrue(files.Any(f => f.EndsWith("main.py", StringComparison.Ordinal)), string.Join(", ", files));
        Assert.IsFalse(files.Any(f => f.EndsWith("debug.log", StringComparison.Ordinal)), ".dockerignore applies to the context");
        Assert.IsTrue(files.Any(f => f.EndsWith("base.txt", StringComparison.Ordinal)), "requirements includes reach the context");
        foreach (var file in Directory.GetFiles(Path.Combine(project.Directory, "obj"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".cache", StringComparison.Ordinal)))
        {
            Assert.IsFalse(File.ReadAllText(file).Contains("s3cr3t-token-value", StringComparison.Ordinal), file);
            Assert.IsFalse(File.ReadAllText(file).Contains("placeholder, not a real credential", StringComparison.Ordinal), file);
        }
        Assert.IsFalse(result.Output.Contains("s3cr3t-token-value", StringComparison.Ordinal));
    }

    [TestMethod]
    public void ConsoleAppWithTheSdkAsAddOnBuildsTheAppAndTheDefinition()
    {
        var project = Copy("console-addon");
        Succeeded(project, project.Dotnet("build"));
        Assert.IsTrue(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "net10.0", "ConsoleAddon.dll")), "the app still compiles");
        StringAssert.Contains(File.ReadAllText(project.ImageFile("consoleaddon", "Dockerfile")), "/src/Program.cs");
        Succeeded(project, project.Dotnet("clean"));
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "obj", "containerimage", "consoleaddon")));
    }

    [TestMethod]
    public void EscapedAndMetadataFormsReachTheDockerfileLiterally()
    {
        var project = Copy("escaping");
        Succeeded(project, project.Dotnet("build"));
        var lines = File.ReadAllLines(project.ImageFile("escaping", "Dockerfile"));
        foreach (var expected in new[]
        {
            "RUN touch /e/semi-a; touch /e/semi-b",            // ';' in Command metadata
            "RUN touch /e/escaped-a; touch /e/escaped-b",      // %3B in Include
            "RUN touch '/e/star-*' '/e/question-?'",           // %2A and %3F in Include
            "RUN touch '/e/meta-*-?'",                         // '*' and '?' in Command metadata
            "RUN touch /e/dollar-$(echo x)-$HOSTNAME_UNSET",   // %24( for '$(', plain '$' as is
            "RUN touch '/e/at-@(x)-100%'",                     // %40( for '@(', %25 for '%'
            "RUN touch \"/e/double quoted\" '/e/single quoted'", // &quot; and ' in an attribute
            "RUN touch \"/e/element-it's\" /e/element-$(echo ok)", // the child element form
        })
        {
            CollectionAssert.Contains(lines, expected, "Dockerfile:\n" + string.Join("\n", lines));
        }
    }

    [TestMethod]
    public void ClonesAreGeneratedPublishedAndCleanedWithTheProjectImage()
    {
        var project = Copy("clones");
        var result = Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        var main = File.ReadAllText(project.ImageFile("clones", "uri.txt")).Trim();
        StringAssert.Contains(result.Output, "ImageUri: " + main);
        StringAssert.Contains(result.Output, "ImageUri: clones-dev:dev");
        StringAssert.Contains(result.Output, "ImageUri: clones-trace:dev");
        var trace = File.ReadAllText(project.ImageFile("clones-trace", "Dockerfile"));
        StringAssert.Contains(trace, "ENV MODE=");
        StringAssert.Contains(trace, "ENV DEBUG=");
        StringAssert.Contains(trace, "ENV TRACE=");
        Assert.IsFalse(File.ReadAllText(project.ImageFile("clones", "Dockerfile")).Contains("DEBUG", StringComparison.Ordinal));

        var again = Succeeded(project, project.Dotnet("build", "-v:d"));
        StringAssert.Contains(again.Output, "Skipping target \"GenerateImageDefinition\" because all output files are up-to-date");
        File.Delete(project.ImageFile("clones-dev", "identifier.txt"));
        var rerun = Succeeded(project, project.Dotnet("build", "-v:d"));
        Assert.IsFalse(rerun.Output.Contains("Skipping target \"GenerateImageDefinition\"", StringComparison.Ordinal), "a clone's missing output reruns generation");

        Succeeded(project, project.Dotnet("clean"));
        foreach (var name in new[] { "clones", "clones-dev", "clones-trace" })
        {
            Assert.IsFalse(Directory.Exists(Path.Combine(project.Directory, "obj", "containerimage", name)), name);
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();
}
