using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// The default staged push/load: buildx's OCI archive goes through a pipe into <c>docker load</c>. A docker
/// stand-in (a shell script) plays buildx and docker load, so the pipe, its end of file and the failure
/// attribution are checked without an engine (the engine tests cover the real path).
/// </summary>
[TestClass]
public sealed class StreamedStagingTests
{
    private const string Pushed = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private static BuildRequest Request(TempDirectory folder, OutputMode output) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = ["reg.example/app:1", "reg.example/app:latest"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = Path.Combine(folder.Path, "obj", "meta.json"),
        Output = output,
        // The engine path: a push from the layout folder has no docker load (LayoutFolderPushTests).
        PushThroughEngine = true,
        // A load the SDK re-times goes from the layout folder too (SdkLocalOutputTests); BuildKit's rewrite stages it.
        TimestampRewrite = TimestampRewriter.BuildKit,
    };

    // A docker that logs each call; "buildx build" runs BUILD (a shell snippet), "load" runs LOAD.
    private static string Docker(TempDirectory folder, string build, string load) => folder.WriteExecutable("docker", "#!/bin/sh\n" +
        $"echo \"$*\" >> '{folder.Path}/calls.txt'\n" +
        "[ \"$1 $2\" = 'buildx version' ] && exit 0\n" +
        $"if [ \"$1\" = buildx ]; then\n{build}\nfi\n" +
        $"if [ \"$1\" = load ]; then\n{load}\nfi\n" +
        $"[ \"$1\" = push ] && echo \"${{2##*:}}: digest: {Pushed} size: 528\"\n" +
        "exit 0\n");

    private static string[] Calls(TempDirectory folder)
        => File.ReadAllLines(Path.Combine(folder.Path, "calls.txt")).Where(l => !l.StartsWith("buildx", StringComparison.Ordinal)).ToArray();

    [TestMethod]
    public async Task TheArchiveBuildxWritesIsWhatDockerLoadReadsAndNoFileIsLeft()
    {
        using var folder = new TempDirectory();
        // 3 MiB of archive with a marker at the end: more than one pipe buffer, so the copy must keep up.
        var docker = Docker(folder,
            "head -c 3145728 /dev/zero; printf 'END-OF-ARCHIVE'; echo 'progress on stderr' >&2; exit 0",
            $"cat > '{folder.Path}/loaded'; echo 'Loaded image: reg.example/app:1'; exit 0");
        var request = Request(folder, OutputMode.Push);
        var lines = new List<string>();

        var result = await new BuildRunner(docker).RunAsync(request, lines.Add);

        Assert.AreEqual(0, result.ExitCode);
        Assert.AreEqual(Pushed, result.Digest);
        var loaded = File.ReadAllBytes(Path.Combine(folder.Path, "loaded"));
        Assert.AreEqual(3145728 + "END-OF-ARCHIVE".Length, loaded.Length);
        StringAssert.EndsWith(System.Text.Encoding.ASCII.GetString(loaded, loaded.Length - 14, 14), "END-OF-ARCHIVE");
        CollectionAssert.AreEqual(new[] { "load", "push reg.example/app:1", "push reg.example/app:latest" }, Calls(folder));
        CollectionAssert.Contains(lines, "progress on stderr");
        CollectionAssert.Contains(lines, "Loaded image: reg.example/app:1");
        Assert.IsFalse(lines.Any(l => l.Contains("END-OF-ARCHIVE", StringComparison.Ordinal)), "the archive is not output");
        Assert.IsFalse(File.Exists(request.StagingArchivePath));
    }

    [TestMethod]
    public async Task ALoadOnlyStreamsAndLoadsWithoutPushing()
    {
        using var folder = new TempDirectory();
        var docker = Docker(folder,
            "meta=''; while [ $# -gt 0 ]; do case \"$1\" in --metadata-file) meta=$2;; esac; shift; done\n" +
            "echo '{\"containerimage.digest\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\"}' > \"$meta\"\n" +
            "printf archive; exit 0",
            $"cat > '{folder.Path}/loaded'; exit 0");

        var result = await new BuildRunner(docker).RunAsync(Request(folder, OutputMode.Load), _ => { });

        Assert.AreEqual("sha256:2222222222222222222222222222222222222222222222222222222222222222", result.Digest);
        Assert.AreEqual("archive", File.ReadAllText(Path.Combine(folder.Path, "loaded")));
        CollectionAssert.AreEqual(new[] { "load" }, Calls(folder));
    }

    [TestMethod]
    public async Task AFailedBuildIsTheBuildsFailureNotTheLoadsAndNothingIsPushed()
    {
        using var folder = new TempDirectory();
        var docker = Docker(folder,
            "printf 'half an arch'; echo 'ERROR: failed to solve: boom' >&2; exit 1",
            "cat > /dev/null; echo 'unexpected EOF' >&2; exit 1");

        var result = await new BuildRunner(docker).RunAsync(Request(folder, OutputMode.Push), _ => { });

        Assert.AreEqual(1, result.ExitCode);
        Assert.AreEqual(BuildStep.Build, result.FailedStep);
        CollectionAssert.Contains(result.LastLines.ToList(), "ERROR: failed to solve: boom");
        CollectionAssert.AreEqual(new[] { "load" }, Calls(folder));
    }

    [TestMethod]
    public async Task ALoadThatExitsEarlyDoesNotBlockTheBuildAndIsTheLoadsFailure()
    {
        using var folder = new TempDirectory();
        // docker load gives up without reading; buildx still writes 8 MiB, which only a drained pipe lets it finish.
        var docker = Docker(folder,
            $"head -c 8388608 /dev/zero; touch '{folder.Path}/build-finished'; exit 0",
            "echo 'cannot load' >&2; exit 4");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await new BuildRunner(docker).RunAsync(Request(folder, OutputMode.Push), _ => { }, timeout.Token);

        Assert.AreEqual(4, result.ExitCode);
        Assert.AreEqual(BuildStep.Load, result.FailedStep);
        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "build-finished")), "buildx ran to its end");
        CollectionAssert.Contains(result.LastLines.ToList(), "cannot load");
        CollectionAssert.AreEqual(new[] { "load" }, Calls(folder));
    }

    [TestMethod]
    public async Task CancellingAStreamedPushStopsBothProcessesWithCimg3003()
    {
        using var folder = new TempDirectory();
        // Both sides would run for a minute; cancellation must end them, not wait for them.
        var docker = Docker(folder, "printf started; exec sleep 60", "exec sleep 60");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(
            () => new BuildRunner(docker).RunAsync(Request(folder, OutputMode.Push), _ => { }, cancel.Token));

        Assert.AreEqual(DiagnosticCodes.BuildCancelled, error.Code);
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        CollectionAssert.AreEqual(new[] { "load" }, Calls(folder), "nothing was pushed");
    }
}
