using System.Text.Json;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// A publish remembers what it published; later edits to the project are explained, one line per cause,
/// by the next publish and by ExplainImageChanges (which builds nothing), and as changes.json for CI.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class ExplainChangesTests : EndToEndTest
{
    private const string Folder = "layer 0 (SourceFolder src -> /app)";

    [TestMethod]
    public void EditsAfterAPublishAreExplainedInTermsOfTheProject()
    {
        Engine.Require();
        var project = Copy("base-uri");
        var name = "cimg-explain-e2e/busybox-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageOutput=load", "-p:ImageName=" + name];
        string[] explain = ["build", "-t:ExplainImageChanges", "-p:ImageName=" + name];
        var uris = new List<string>();
        string Uri() => File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        try
        {
            var first = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            uris.Add(Uri());
            Assert.IsTrue(File.Exists(project.ImageFile(name, "last-published.identity.json")), "a publish remembers what it published");
            Assert.AreEqual(0, Changes(project, name).Count);

            File.WriteAllText(Path.Combine(project.Directory, "src", "payload.txt"), "edited payload\n");
            File.WriteAllText(Path.Combine(project.Directory, "src", "new.txt"), "new\n");
            var explained = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, explain));
            StringAssert.Contains(explained.Output, $"{Folder}: new.txt added");
            StringAssert.Contains(explained.Output, $"{Folder}: payload.txt changed");
            Assert.IsFalse(explained.Output.Contains("Building ", StringComparison.Ordinal), "ExplainImageChanges builds nothing");
            var changes = Changes(project, name);
            CollectionAssert.AreEqual(new[] { "file-added", "file-changed" }, changes.Select(c => c.Kind).ToArray());
            CollectionAssert.AreEqual(new int?[] { 0, 0 }, changes.Select(c => c.Layer).ToArray());

            var second = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            uris.Add(Uri());
            StringAssert.Contains(second.Output, $"{Folder}: payload.txt changed", "the publish says why it builds a new image");
            StringAssert.Contains(second.Output, "Published " + Uri());
            var same = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, explain));
            StringAssert.Contains(same.Output, "same content as the last publish");
            Assert.AreEqual(0, Changes(project, name).Count);

            var projectText = File.ReadAllText(project.ProjectFile);
            File.WriteAllText(project.ProjectFile, projectText
                .Replace("hello from msbuild", "hello again", StringComparison.Ordinal)
                .Replace("</ImageBaseUri>", "</ImageBaseUri>\n    <ImagePlatforms>linux/amd64;linux/arm64</ImagePlatforms>", StringComparison.Ordinal));
            var edited = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, explain));
            StringAssert.Contains(edited.Output, "platforms changed: linux/amd64 -> linux/amd64, linux/arm64");
            StringAssert.Contains(edited.Output, "layer 1 (EnvVars GREETING): environment variable GREETING changed");
            Assert.IsFalse(edited.Output.Contains("hello again", StringComparison.Ordinal), "variable values are never printed");
            CollectionAssert.AreEqual(new[] { "platforms", "layer-parameters" }, Changes(project, name).Select(c => c.Kind).ToArray());
        }
        finally
        {
            foreach (var uri in uris) Engine.Docker("rmi", "--force", uri);
        }
    }

    private sealed record Change(string Kind, int? Layer, string Message);

    private static List<Change> Changes(TestProject project, string name)
        => JsonSerializer.Deserialize<List<Change>>(File.ReadAllText(project.ImageFile(name, "changes.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
}
