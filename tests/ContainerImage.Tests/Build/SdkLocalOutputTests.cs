using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// A load and an OCI archive re-timed by the SDK, with a docker stand-in (a shell script) whose "buildx" copies a
/// layout written as buildx writes it into the layout folder and whose "load" keeps what it reads: the archive, its
/// stream into docker load, the digest, and which step a failure is (the engine tests cover the real path).
/// </summary>
[TestClass]
public sealed class SdkLocalOutputTests
{
    private const long Epoch = 1_700_000_000;

    private static BuildRequest Request(TempDirectory folder, OutputMode output) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = ["reg.example/app:1"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = Path.Combine(folder.Path, "obj", "meta.json"),
        Output = output,
        ArchivePath = Path.Combine(folder.Path, "out", "image.tar"),
        SourceDateEpoch = Epoch,
    };

    // "buildx build" copies the prepared layout into the request's layout folder (or fails with BUILD_EXIT); "load" runs LOAD.
    private static string Docker(TempDirectory folder, BuildRequest request, string load, int buildExit = 0)
    {
        var source = Path.Combine(folder.Path, "built");
        OciLayoutArchiveTests.WriteLayout(source, "reg.example/app:1");
        return folder.WriteExecutable("docker", "#!/bin/sh\n" +
            $"echo \"$*\" >> '{folder.Path}/calls.txt'\n" +
            "[ \"$1 $2\" = 'buildx version' ] && exit 0\n" +
            $"if [ \"$1\" = buildx ]; then\n  [ {buildExit} = 0 ] || {{ echo 'ERROR: process did not complete successfully' >&2; exit {buildExit}; }}\n" +
            $"  cp -R '{source}/.' '{request.OciLayoutPath}/'; exit 0\nfi\n" +
            $"if [ \"$1\" = load ]; then\n{load}\nfi\n" +
            "exit 0\n");
    }

    private static string[] Calls(TempDirectory folder)
        => File.ReadAllLines(Path.Combine(folder.Path, "calls.txt")).Where(l => !l.StartsWith("buildx", StringComparison.Ordinal)).ToArray();

    private static byte[] ArchiveOf(BuildRequest request)
    {
        var output = new MemoryStream();
        OciLayoutArchive.Write(OciLayout.Read(request.OciLayoutPath, "app"), output, Epoch);
        return output.ToArray();
    }

    [TestMethod]
    public async Task ALoadStreamsTheReTimedLayoutIntoDockerLoadAndReportsItsDigest()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, OutputMode.Load);
        var docker = Docker(folder, request, $"cat > '{folder.Path}/loaded'; echo 'Loaded image: reg.example/app:1'; exit 0");
        var lines = new List<string>();

        var result = await new BuildRunner(docker).RunAsync(request, lines.Add);

        Assert.AreEqual(0, result.ExitCode, string.Join("\n", lines));
        var layout = OciLayout.Read(request.OciLayoutPath, "app");
        Assert.AreEqual(layout.Image.Digest, result.Digest, "the re-timed image's digest, as the push of the same image reports");
        CollectionAssert.AreEqual(ArchiveOf(request), File.ReadAllBytes(Path.Combine(folder.Path, "loaded")));
        CollectionAssert.AreEqual(new[] { "load" }, Calls(folder));
        Assert.IsTrue(lines.Any(l => l.StartsWith("re-timed 1 new layer(s)", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith("removed ", StringComparison.Ordinal)), "the stray blob of an earlier build is removed");
        Assert.IsFalse(File.Exists(request.StagingArchivePath));
    }

    [TestMethod]
    public async Task AFailedLoadIsTheLoadStepWithItsExitCode()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, OutputMode.Load);
        var docker = Docker(folder, request, "head -c 100 > /dev/null; echo 'unexpected EOF' >&2; exit 4");

        var result = await new BuildRunner(docker).RunAsync(request, _ => { });

        Assert.AreEqual(4, result.ExitCode);
        Assert.AreEqual(BuildStep.Load, result.FailedStep);
        Assert.IsNull(result.Digest);
        CollectionAssert.Contains(result.LastLines.ToList(), "unexpected EOF");
    }

    [TestMethod]
    public async Task AnOciArchiveIsWrittenFromTheReTimedLayoutWithNothingLeftBesideIt()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, OutputMode.OciArchive);
        var docker = Docker(folder, request, "exit 9");

        var result = await new BuildRunner(docker).RunAsync(request, _ => { });

        Assert.AreEqual(0, result.ExitCode);
        Assert.AreEqual(OciLayout.Read(request.OciLayoutPath, "app").Image.Digest, result.Digest);
        CollectionAssert.AreEqual(ArchiveOf(request), File.ReadAllBytes(request.ArchivePath!));
        CollectionAssert.AreEqual(new[] { "image.tar" }, Directory.GetFiles(Path.GetDirectoryName(request.ArchivePath)!).Select(Path.GetFileName).ToArray());
        Assert.AreEqual(0, Calls(folder).Length, "no docker load for an archive");
    }

    [TestMethod]
    public async Task AFailedBuildLeavesNoArchiveNotEvenAnEarlierOne()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, OutputMode.OciArchive);
        Directory.CreateDirectory(Path.GetDirectoryName(request.ArchivePath)!);
        File.WriteAllText(request.ArchivePath!, "an earlier build's archive");
        var docker = Docker(folder, request, "exit 0", buildExit: 3);

        var result = await new BuildRunner(docker).RunAsync(request, _ => { });

        Assert.AreEqual(3, result.ExitCode);
        Assert.AreEqual(BuildStep.Build, result.FailedStep);
        Assert.IsFalse(File.Exists(request.ArchivePath));
    }

    [TestMethod]
    public async Task ALayoutThatCannotBeReadIsCimg3110()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, OutputMode.OciArchive);
        var docker = Docker(folder, request, "exit 0");
        // buildx "succeeds" but its layout lacks a blob.
        var source = Path.Combine(folder.Path, "built");
        foreach (var blob in Directory.GetFiles(OciLayout.BlobsFolder(source)).Where(f => new FileInfo(f).Length > 1000)) File.Delete(blob);

        var result = await new BuildRunner(docker).RunAsync(request, _ => { });

        Assert.AreNotEqual(0, result.ExitCode);
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, result.PushFailure?.Code);
        Assert.IsFalse(File.Exists(request.ArchivePath));
        var thrown = Assert.ThrowsExactly<ImageDefinitionException>(() => result.EnsureSuccess("app"));
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, thrown.Code);
    }
}
