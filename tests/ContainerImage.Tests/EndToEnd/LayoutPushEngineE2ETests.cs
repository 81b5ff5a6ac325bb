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

    [TestMethod]
    public void AChunkedFolderIsBuiltFromDockerfileLinkedAndItsLinkedChunksAreRewritten()
    {
        Engine.Require();
        var project = Copy("base-uri");
        // Six 600-byte files in 1 KiB chunks: three chunks, the last two linked.
        for (var i = 0; i < 6; i++) File.WriteAllText(Path.Combine(project.Directory, "src", $"part{i}.txt"), new string((char)('a' + i), 600));
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile)
            .Replace("Kind=\"SourceFolder\" Destination=\"/app\"", "Kind=\"SourceFolder\" Destination=\"/app\" ChunkBytes=\"1KiB\"", StringComparison.Ordinal));
        var name = "cimg-e2e/linked-" + Guid.NewGuid().ToString("N")[..10];
        var result = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment,
            "publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:n"));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        try
        {
            StringAssert.Contains(File.ReadAllText(project.ImageFile(name, "Dockerfile.linked")), "COPY --link");
            var linked = LinkedChunks().Match(result.Output);
            Assert.IsTrue(linked.Success, result.Output);
            Assert.IsTrue(int.Parse(linked.Groups["count"].Value) >= 1, "the publish passed the linked chunks to the re-timer");
            Assert.AreEqual(0, Engine.Docker("pull", uri).ExitCode, "the pushed image is in the registry");
            var run = Engine.Docker("run", "--rm", "--pull=never", uri, "sh", "-c", "echo; cat /app/part5.txt | wc -c; cat /app/greeting.txt");
            Assert.AreEqual(0, run.ExitCode, run.Output);
            StringAssert.Contains(run.Output.Replace(" ", ""), "\n600\n", "the last chunk's file, whole: " + run.Output);
            StringAssert.Contains(run.Output, "hello from msbuild");
        }
        finally
        {
            Engine.Docker("rmi", "--force", uri);
        }
    }

    [GeneratedRegex(@"(?<count>\d+) of them COPY --link chunk")]
    private static partial Regex LinkedChunks();

    [GeneratedRegex(@"pushed (?<sent>\d+) of (?<all>\d+) blobs")]
    private static partial Regex PushedBlobs();
}
