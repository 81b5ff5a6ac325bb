using System.Formats.Tar;
using System.IO.Compression;
using ContainerImage.Build;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// <c>ImageTimestampRewrite=Sdk</c> on the real engine and registry: one digest for the same declaration whatever the
/// source files' times, file times at the epoch in the running image, and layers that list like BuildKit's rewrite.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class SdkRetimeEngineTests
{
    private static BuildRequest Request(string context, string obj, string tag, TimestampRewriter rewriter) => new()
    {
        ContextDirectory = context,
        DockerfilePath = Path.Combine(context, "Dockerfile"),
        Tags = [tag],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = Path.Combine(obj, "buildx-metadata.json"),
        Output = OutputMode.Push,
        TimestampRewrite = rewriter,
        Registry = new RegistryOptions { InsecureRegistries = [Engine.RegistryAddress] },
    };

    private static async Task<string> PublishAsync(BuildRequest request)
    {
        var lines = new List<string>();
        var result = await new BuildRunner().RunAsync(request, lines.Add);
        Assert.AreEqual(0, result.ExitCode, string.Join("\n", lines));
        return result.Digest!;
    }

    private static void Touch(string context, DateTime time)
    {
        foreach (var file in Directory.GetFiles(context, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, time);
    }

    [TestMethod]
    public async Task OneDigestWhateverTheSourceTimesAndLayersListLikeBuildKitsRewrite()
    {
        await Engine.RequireAsync();
        using var folder = new TempDirectory();
        var context = Path.Combine(folder.Path, "context");
        Directory.CreateDirectory(Path.Combine(context, "src"));
        File.WriteAllText(Path.Combine(context, "src", "a.txt"), "alpha\n");
        File.WriteAllText(Path.Combine(context, "src", "b.py"), "print('b')\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"),
            $"FROM {Engine.BusyboxImage}\nCOPY src/ /app/\nRUN echo made > /app/made.txt && chmod 640 /app/made.txt\n");
        var repository = Engine.RegistryAddress + "/" + Engine.UniqueRepository("retime");
        var sdkObj = Path.Combine(folder.Path, "obj-sdk");
        var sdk = Request(context, sdkObj, repository + ":sdk", TimestampRewriter.Sdk);
        Touch(context, DateTime.UtcNow);

        var first = await PublishAsync(sdk);
        Touch(context, DateTime.UtcNow.AddHours(1));
        // Without the cache the layers are converted again: the same bytes, so the gzip is deterministic too.
        File.Delete(LayerRetimer.CachePath(sdk.OciLayoutPath));
        var second = await PublishAsync(sdk);
        var third = await PublishAsync(sdk);

        Assert.AreEqual(first, second);
        Assert.AreEqual(first, third);
        var pulled = await CapturedProcess.RunAsync("docker", ["pull", "-q", repository + "@" + first], TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.AreEqual(0, pulled.ExitCode, pulled.Output);
        CapturedProcess.Outcome run;
        try
        {
            run = await CapturedProcess.RunAsync("docker", ["run", "--rm", "--pull=never", repository + "@" + first,
                "sh", "-c", "stat -c '%Y %n' /app/a.txt /app/made.txt && cat /app/a.txt"], TimeSpan.FromMinutes(2), CancellationToken.None);
        }
        finally
        {
            await CapturedProcess.RunAsync("docker", ["image", "rm", "-f", repository + "@" + first], TimeSpan.FromMinutes(1), CancellationToken.None);
        }
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.Contains(run.Output, "0 /app/a.txt");
        StringAssert.Contains(run.Output, "0 /app/made.txt");
        StringAssert.Contains(run.Output, "alpha");

        var buildKit = Request(context, Path.Combine(folder.Path, "obj-buildkit"), repository + ":buildkit", TimestampRewriter.BuildKit);
        var other = await PublishAsync(buildKit);
        Assert.AreNotEqual(first, other, "another gzip and another config: another digest");
        var ours = Listings(sdk.OciLayoutPath);
        var theirs = Listings(buildKit.OciLayoutPath);
        Assert.AreEqual(theirs.Count, ours.Count);
        Assert.AreEqual(3, ours.Count);
        for (var i = 0; i < ours.Count; i++) CollectionAssert.AreEqual(theirs[i], ours[i], $"layer {i}");
        Assert.IsTrue(ours[1].Any(l => l.StartsWith("app/a.txt ", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal)), string.Join("\n", ours[1]));
    }

    // "name mode uid/gid size mtime" per entry of each layer, in order, as tar -tv --full-time lists them.
    private static List<List<string>> Listings(string layoutFolder)
    {
        var layout = OciLayout.Read(layoutFolder, "retime");
        var layers = layout.Blobs.Skip(1).ToList();
        var result = new List<List<string>>();
        foreach (var layer in layers)
        {
            Assert.IsTrue(layer.MediaType.EndsWith("gzip", StringComparison.Ordinal), layer.MediaType);
            using var gzip = new GZipStream(File.OpenRead(layout.BlobPath(layer.Digest)), CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            var entries = new List<string>();
            while (reader.GetNextEntry() is { } entry)
            {
                entries.Add($"{entry.Name} {entry.EntryType} {(int)entry.Mode} {entry.Uid}/{entry.Gid} {entry.Length} {entry.ModificationTime.ToUnixTimeSeconds()}");
            }
            result.Add(entries);
        }
        return result;
    }
}
