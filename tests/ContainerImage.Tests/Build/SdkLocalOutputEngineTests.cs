using System.Formats.Tar;
using System.Text.Json.Nodes;
using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// The SDK's re-timing for a load and an OCI archive on the real engine and registry: one declaration (busybox, a
/// chunked source folder with linked chunks, a RUN step) gives one digest whether it is archived, pushed or loaded,
/// whatever the source files' times; the loaded image runs; a failing RUN step leaves no archive.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class SdkLocalOutputEngineTests
{
    private static Image Declared(string source, string command)
        => Image.FromBase(Engine.BusyboxImage, platforms: [Platform.LinuxAmd64])
            .WithWorkdir("/srv/app")
            .WithLayer(Layers.SourceFolder(source) with { ChunkBytes = 1000 })
            .WithCommands([command]);

    private static BuildRequest Request(Image image, string obj, OutputMode output, string tag, string archive)
    {
        var request = GeneratedDefinition.Write(image, obj, output, tag, archive);
        Assert.IsTrue(request.LinkedChunks.Count > 0, "the chunked folder has linked chunks");
        return request;
    }

    private static async Task<BuildResult> RunAsync(BuildRequest request)
    {
        var lines = new List<string>();
        var result = await new BuildRunner().RunAsync(request, lines.Add);
        Assert.AreEqual(0, result.ExitCode, string.Join("\n", lines));
        Assert.IsTrue(request.UsesLinkedDockerfile);
        Assert.IsTrue(lines.Any(l => l.Contains("COPY --link chunk(s)", StringComparison.Ordinal)), "the re-timer ran");
        return result;
    }

    private static string SourceFolder(string root)
    {
        var source = Path.Combine(root, "src");
        // Content unique to this run, so the layers are built now rather than taken from another run's cache.
        var run = Path.GetFileName(root);
        for (var i = 0; i < 4; i++) File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(source, "pkg" + i)).FullName, "m.txt"), new string((char)('a' + i), 600) + run);
        File.WriteAllText(Path.Combine(source, "a.txt"), "alpha " + run);
        return source;
    }

    private static void Touch(string folder, DateTime time)
    {
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, time);
    }

    /// <summary>The image digest index.json names in an OCI archive, and the archive's entry names.</summary>
    private static (string Digest, List<string> Names) ReadArchive(string archive)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        string? digest = null;
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
            if (entry.Name != "index.json") continue;
            var index = JsonNode.Parse(entry.DataStream!)!;
            digest = index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()).Distinct().Single();
        }
        return (digest!, names);
    }

    private static Task<CapturedProcess.Outcome> Docker(params string[] arguments)
        => CapturedProcess.RunAsync("docker", arguments, TimeSpan.FromMinutes(3), CancellationToken.None);

    [TestMethod]
    public async Task OneDeclarationOneDigestArchivedPushedOrLoaded()
    {
        await Engine.RequireAsync();
        using var folder = new TempDirectory("cimg-load");
        var source = SourceFolder(folder.Path);
        var image = Declared(source, "echo made > /srv/app/made.txt");
        var tag = Engine.RegistryAddress + "/" + Engine.UniqueRepository("load") + ":1";
        var archive = Path.Combine(folder.Path, "out", "image.tar");
        Touch(source, DateTime.UtcNow.AddDays(-3));

        var archived = await RunAsync(Request(image, Path.Combine(folder.Path, "obj-archive"), OutputMode.OciArchive, tag, archive));
        var (archiveDigest, names) = ReadArchive(archive);
        Assert.AreEqual(archiveDigest, archived.Digest);
        Assert.AreEqual(0, names.Count(n => n.EndsWith(".tmp", StringComparison.Ordinal)));
        var pushed = await RunAsync(Request(image, Path.Combine(folder.Path, "obj-push"), OutputMode.Push, tag, archive));
        Assert.AreEqual(archiveDigest, pushed.Digest, "one declaration, one digest: the archive is what the registry holds");

        var loadObj = Path.Combine(folder.Path, "obj-load");
        Touch(source, DateTime.UtcNow);
        try
        {
            var first = await RunAsync(Request(image, loadObj, OutputMode.Load, tag, archive));
            var firstId = await Docker("image", "inspect", "--format", "{{.Id}}", tag);
            Touch(source, DateTime.UtcNow.AddHours(5));
            var second = await RunAsync(Request(image, loadObj, OutputMode.Load, tag, archive));
            var secondId = await Docker("image", "inspect", "--format", "{{.Id}}", tag);

            Assert.AreEqual(archiveDigest, first.Digest, "the load reports the push's digest");
            Assert.AreEqual(first.Digest, second.Digest);
            Assert.AreEqual(0, firstId.ExitCode, firstId.Output);
            Assert.AreEqual(firstId.Output.Trim(), secondId.Output.Trim(), "the same image id whatever the source times");
            Assert.AreEqual(first.Digest, firstId.Output.Trim(), "the engine's image is the re-timed layout's (containerd image store)");
            var run = await Docker("run", "--rm", "--pull=never", tag, "sh", "-c", "cat /srv/app/made.txt /srv/app/a.txt && stat -c '%Y %n' /srv/app/a.txt /srv/app/pkg3/m.txt");
            Assert.AreEqual(0, run.ExitCode, run.Output);
            StringAssert.Contains(run.Output, "made");
            StringAssert.Contains(run.Output, "alpha " + Path.GetFileName(folder.Path));
            StringAssert.Contains(run.Output, "0 /srv/app/a.txt");
            StringAssert.Contains(run.Output, "0 /srv/app/pkg3/m.txt");
        }
        finally
        {
            await Docker("image", "rm", "-f", tag);
        }
    }

    [TestMethod]
    public async Task AFailingRunStepLeavesNoArchive()
    {
        await Engine.RequireAsync();
        using var folder = new TempDirectory("cimg-load");
        var source = SourceFolder(folder.Path);
        var archive = Path.Combine(folder.Path, "out", "image.tar");
        var request = Request(Declared(source, "echo failing && exit 3"), Path.Combine(folder.Path, "obj"), OutputMode.OciArchive,
            Engine.RegistryAddress + "/load-fail:1", archive);

        var result = await new BuildRunner().RunAsync(request, _ => { });

        Assert.AreNotEqual(0, result.ExitCode);
        Assert.AreEqual(BuildStep.Build, result.FailedStep);
        Assert.IsNull(result.Digest);
        Assert.IsFalse(File.Exists(archive));
        Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(archive)) && Directory.EnumerateFiles(Path.GetDirectoryName(archive)!).Any(), "not even a temporary file");
    }
}
