using System.Diagnostics;
using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;
using ContainerImage.Tests.Registry;

namespace ContainerImage.Tests.Build;

/// <summary>
/// The default reproducible push: buildx writes the OCI layout folder, the runner pushes it over HTTP. A docker
/// stand-in plays buildx (it copies a layout the test wrote into the folder named by <c>dest=</c>) and a scripted
/// registry receives the push, so the folder's life (stale index.json removed, earlier blobs cleaned after a push,
/// kept after a failure), the failure attribution and cancellation are checked without an engine.
/// </summary>
[TestClass]
public sealed class LayoutFolderPushTests
{
    // Logs each call; "buildx build" notes whether index.json was there, then copies SOURCE into the dest= folder.
    private static string Docker(TempDirectory folder, string source) => folder.WriteExecutable("docker", "#!/bin/sh\n" +
        $"echo \"$1 $2\" >> '{folder.Path}/calls.txt'\n" +
        "[ \"$1 $2\" = 'buildx version' ] && exit 0\n" +
        "if [ \"$1\" = buildx ]; then\n" +
        "  while [ $# -gt 0 ]; do [ \"$1\" = --output ] && dest=$(printf '%s' \"$2\" | sed 's/.*dest=\\([^,]*\\).*/\\1/'); shift; done\n" +
        $"  [ -e \"$dest/index.json\" ] && echo 'stale index.json' >> '{folder.Path}/calls.txt'\n" +
        $"  [ -d '{source}' ] && cp -r '{source}/.' \"$dest/\"\n" +
        "  echo 'exporting to oci image format' >&2; exit 0\n" +
        "fi\n" +
        "exit 3\n");

    private static BuildRequest Request(TempDirectory folder, string registry, string? config) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = [$"{registry}/team/app:v1"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = Path.Combine(folder.Path, "obj", "buildx-metadata.json"),
        Output = OutputMode.Push,
        Registry = new RegistryOptions { DockerConfigPath = config },
        // The push from the folder as buildx left it: the stand-in's layout has no image config for the SDK's
        // re-timing to read (that is SdkRetimeEngineTests' and LinkedChunkEngineTests' part, on the real engine).
        TimestampRewrite = TimestampRewriter.BuildKit,
    };

    private static string[] Calls(TempDirectory folder) => File.ReadAllLines(Path.Combine(folder.Path, "calls.txt"));

    [TestMethod]
    public async Task TheLayoutIsPushedWithoutTheEngineAndOnlyItsBlobsStay()
    {
        using var folder = new TempDirectory();
        var built = new LayoutWriter(Path.Combine(folder.Path, "built"));
        var manifest = built.Manifest("amd64", built.RandomLayer(20_000));
        built.Top(manifest);
        var registry = new ScriptedPushRegistry { OnManifest = ScriptedPushRegistry.StoredAs(manifest.Digest) };
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => registry.Handle(r, server!.Port));
        using var _ = server;
        var (configFolder, config) = ScriptedPushRegistry.Config(server.Address);
        using var __ = configFolder;
        var request = Request(folder, server.Address, config);
        // What an earlier build left: its index.json and a blob this image no longer uses.
        var earlier = new LayoutWriter(request.OciLayoutPath);
        var stale = earlier.RandomLayer(5_000);
        earlier.Top(earlier.Manifest("amd64", stale));
        var lines = new List<string>();

        var result = await new BuildRunner(Docker(folder, built.Folder)).RunAsync(request, lines.Add);

        Assert.AreEqual(0, result.ExitCode, string.Join("\n", lines));
        Assert.AreEqual(manifest.Digest, result.Digest);
        CollectionAssert.AreEqual(new[] { "buildx version", "buildx build" }, Calls(folder), "no stale index.json, no docker load, no docker push");
        Assert.IsTrue(lines.Any(l => l.StartsWith("pushed 2 of 2 blobs", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsFalse(File.Exists(earlier.BlobPath(stale)), "the earlier build's blob is cleaned after the push");
        Assert.AreEqual(manifest, OciLayout.Read(request.OciLayoutPath, "app").Image);
        Assert.AreEqual(3, Directory.GetFiles(Path.Combine(request.OciLayoutPath, "blobs", "sha256")).Length);
    }

    [TestMethod]
    public async Task ABuildThatLeavesNoLayoutIsAPushFailureWithItsCode()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, "127.0.0.1:9", null);

        var result = await new BuildRunner(Docker(folder, Path.Combine(folder.Path, "absent"))).RunAsync(request, _ => { });

        Assert.AreEqual(BuildRunner.PushFailedExitCode, result.ExitCode);
        Assert.AreEqual(BuildStep.Push, result.FailedStep);
        Assert.IsNull(result.Digest);
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, result.PushFailure?.Code);
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, Assert.ThrowsExactly<ImageDefinitionException>(() => result.EnsureSuccess("app")).Code);
        var failure = ContainerImage.Tasks.PublishFailure.For(result, request.Tags[0], "127.0.0.1:9", "docker", CancellationToken.None);
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, failure.Code);
    }

    [TestMethod]
    public async Task ARefusedPushIsCodedAndLeavesTheFolderForTheNextAttempt()
    {
        using var folder = new TempDirectory();
        var built = new LayoutWriter(Path.Combine(folder.Path, "built"));
        var layer = built.RandomLayer(1_000);
        built.Top(built.Manifest("amd64", layer));
        // Credentials the token service refuses.
        var registry = new ScriptedPushRegistry();
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => registry.Handle(r, server!.Port));
        using var _ = server;
        var request = Request(folder, server.Address, null);

        var result = await new BuildRunner(Docker(folder, built.Folder)).RunAsync(request, _ => { });

        Assert.AreEqual(BuildStep.Push, result.FailedStep);
        Assert.AreEqual(DiagnosticCodes.LayoutPushFailed, result.PushFailure?.Code);
        StringAssert.Contains(result.PushFailure!.Message, server.Address);
        StringAssert.Contains(result.PushFailure.Message, "'team/app'");
        Assert.IsTrue(File.Exists(Path.Combine(request.OciLayoutPath, "blobs", "sha256", layer.Digest[7..])), "the blobs stay for the next attempt");
        Assert.IsFalse(File.Exists(request.MetadataFile));
    }

    [TestMethod]
    public async Task CancellingDuringThePushIsCimg3003()
    {
        using var folder = new TempDirectory();
        var built = new LayoutWriter(Path.Combine(folder.Path, "built"));
        built.Top(built.Manifest("amd64", built.RandomLayer(1_000)));
        var registry = new ScriptedPushRegistry { HeadDelay = TimeSpan.FromSeconds(5) };
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => registry.Handle(r, server!.Port));
        using var _ = server;
        var (configFolder, config) = ScriptedPushRegistry.Config(server.Address);
        using var __ = configFolder;
        var request = Request(folder, server.Address, config) with { Registry = new RegistryOptions { DockerConfigPath = config, Timeout = TimeSpan.FromSeconds(30) } };
        using var cancel = new CancellationTokenSource();
        var runner = new BuildRunner(Docker(folder, built.Folder));
        var clock = Stopwatch.StartNew();

        var running = runner.RunAsync(request, line => { if (line.Contains("exporting", StringComparison.Ordinal)) cancel.CancelAfter(1500); }, cancel.Token);
        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(() => running);

        Assert.AreEqual(DiagnosticCodes.BuildCancelled, error.Code);
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.IsTrue(server.Requests.Any(r => r.Method == "HEAD"), "cancelled while the push was under way");
    }
}
