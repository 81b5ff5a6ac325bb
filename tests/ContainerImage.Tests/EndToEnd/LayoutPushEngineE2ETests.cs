using System.Text.RegularExpressions;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// `dotnet publish` pushes the reproducible image from the OCI layout folder in obj/ with the SDK's registry client:
/// the engine never loads it, a rebuild with nothing new sends no blob, and `dotnet clean` removes the folder.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed partial class LayoutPushEngineE2ETests : EndToEndTest
{
    [TestMethod]
    public void PublishPushesFromTheLayoutFolderWithoutTheEngineAndCleanRemovesIt()
    {
        Engine.Require();
        var project = Copy("base-uri");
        var name = "cimg-e2e/layout-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:n"];
        var first = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        var layout = project.ImageFile(name, "oci-layout");
        try
        {
            Assert.IsTrue(File.Exists(Path.Combine(layout, "index.json")), "buildx wrote the layout folder into obj/");
            var sent = PushedBlobs().Match(first.Output);
            Assert.IsTrue(sent.Success, first.Output);
            Assert.IsTrue(int.Parse(sent.Groups["sent"].Value) > 0, "a new repository gets the blobs");
            StringAssert.Contains(first.Output, "already in 127.0.0.1:5000/" + name);
            var pushed = RegistryManifests.Get(uri);
            Assert.IsNotNull(pushed);
            StringAssert.Contains(File.ReadAllText(project.ImageFile(name, "publish.json")), pushed.Digest, "the reported digest is the registry's");
            Assert.AreNotEqual(0, Engine.Docker("image", "inspect", uri).ExitCode, "the engine never loaded the pushed image");

            var forced = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, [.. publish, "-p:ImageForceBuild=true"]));
            var again = PushedBlobs().Match(forced.Output);
            Assert.IsTrue(again.Success, forced.Output);
            Assert.AreEqual("0", again.Groups["sent"].Value, "the same image again: every blob is already there");
            Assert.AreEqual(pushed.Digest, RegistryManifests.Get(uri)?.Digest);

            Succeeded(project, project.Dotnet("clean", "-p:ImageName=" + name));
            Assert.IsFalse(Directory.Exists(layout), "dotnet clean removes the layout folder");
        }
        finally
        {
            Engine.Docker("rmi", "--force", uri);
        }
    }

    [GeneratedRegex(@"pushed (?<sent>\d+) of (?<all>\d+) blobs")]
    private static partial Regex PushedBlobs();
}
