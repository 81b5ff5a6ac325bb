using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>The runner's failures that need no engine: each must be a coded error, not a crash.</summary>
[TestClass]
public sealed class BuildRunnerTests
{
    private static BuildRequest Request(TempDirectory folder) => new()
    {
        ContextDirectory = folder.Path,
        DockerfilePath = folder.Write("Dockerfile", "FROM scratch\n"),
        Tags = ["127.0.0.1:5000/cimg-build/none:1"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = Path.Combine(folder.Path, "meta.json"),
    };

    [TestMethod]
    public async Task AMissingDockerCliIsCimg3001()
    {
        using var folder = new TempDirectory();
        var runner = new BuildRunner(Path.Combine(folder.Path, "no-such-docker"));
        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(() => runner.RunAsync(Request(folder), _ => { }));
        Assert.AreEqual(DiagnosticCodes.DockerNotFound, error.Code);
        StringAssert.Contains(error.Message, "no-such-docker");
    }

    [TestMethod]
    public async Task ADockerWithoutBuildxIsCimg3005()
    {
        using var folder = new TempDirectory();
        var docker = folder.WriteExecutable("docker", "#!/bin/sh\necho \"docker: 'buildx' is not a docker command.\" >&2\nexit 1\n");
        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(() => new BuildRunner(docker).RunAsync(Request(folder), _ => { }));
        Assert.AreEqual(DiagnosticCodes.BuildxNotAvailable, error.Code);
        StringAssert.Contains(error.Message, "'buildx' is not a docker command");
    }

    [TestMethod]
    public async Task ASecretWhoseVariableIsUnsetIsCimg4003BeforeAnyBuild()
    {
        using var folder = new TempDirectory();
        var marker = Path.Combine(folder.Path, "docker-ran");
        var docker = folder.WriteExecutable("docker", $"#!/bin/sh\ntouch '{marker}'\nexit 0\n");
        var secret = Secret.AsEnvironmentVariable("s", sourceVariable: "CIMG_TEST_UNSET_" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(
            () => new BuildRunner(docker).RunAsync(Request(folder) with { Secrets = [secret] }, _ => { }));
        Assert.AreEqual(DiagnosticCodes.SecretSourceMissing, error.Code);
        Assert.IsFalse(File.Exists(marker), "docker must not run when a secret is missing");
    }

    [TestMethod]
    public async Task ASuccessfulPushWithoutADigestIsCimg3004AndAStaleMetadataFileIsNotRead()
    {
        using var folder = new TempDirectory();
        // A docker that "succeeds" without writing metadata; an old metadata file must not pass for this build's.
        var docker = folder.WriteExecutable("docker", "#!/bin/sh\necho building\nexit 0\n");
        // Through the engine: docker push's digest line is absent too, so only the metadata file could have one.
        var request = Request(folder) with { PushThroughEngine = true };
        File.WriteAllText(request.MetadataFile, """{"containerimage.digest":"sha256:1e6d7c05834e6932b7b8aed16e67cca88896b89511f9845a401a00f434915790"}""");
        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(() => new BuildRunner(docker).RunAsync(request, _ => { }));
        Assert.AreEqual(DiagnosticCodes.BuildMetadataMissing, error.Code);
    }

    [TestMethod]
    public async Task ArgumentsReachDockerUnchangedWithoutAShell()
    {
        using var folder = new TempDirectory();
        var log = Path.Combine(folder.Path, "args.txt");
        // Records each argument on its own line; a shell in between would split or expand them.
        var docker = folder.WriteExecutable("docker", $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{log}'; done\necho \"epoch=$SOURCE_DATE_EPOCH\"\nexit 0\n");
        var request = Request(folder) with
        {
            Output = OutputMode.None,
            BuildArgs = new Dictionary<string, string> { ["A"] = "$(touch /tmp/x) ; `id` \"q\"" },
            SourceDateEpoch = 42,
        };
        var lines = new List<string>();
        var result = await new BuildRunner(docker).RunAsync(request, lines.Add);
        Assert.AreEqual(0, result.ExitCode);
        CollectionAssert.Contains(File.ReadAllLines(log), "A=$(touch /tmp/x) ; `id` \"q\"");
        CollectionAssert.Contains(lines, "epoch=42");
    }

    [TestMethod]
    public async Task AFailedBuildReturnsItsExitCodeAndLastTwentyLines()
    {
        using var folder = new TempDirectory();
        var docker = folder.WriteExecutable("docker",
            "#!/bin/sh\n[ \"$1\" = buildx ] && [ \"$2\" = version ] && exit 0\nfor i in $(seq 1 30); do echo \"line $i\"; done\necho oops >&2\nexit 7\n");
        var lines = new List<string>();
        // The stand-in prints its lines on standard output, which a streamed staged push reserves for the archive.
        var result = await new BuildRunner(docker).RunAsync(Request(folder) with { StreamStagingArchive = false }, lines.Add);
        Assert.AreEqual(7, result.ExitCode);
        Assert.IsNull(result.Digest);
        Assert.AreEqual(31, lines.Count);
        Assert.AreEqual(BuildRunner.TailLength, result.LastLines.Count);
        CollectionAssert.Contains(lines, "oops");
        CollectionAssert.Contains(result.LastLines.ToList(), "line 30");
        CollectionAssert.DoesNotContain(result.LastLines.ToList(), "line 1");
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => result.EnsureSuccess("app"));
        Assert.AreEqual(DiagnosticCodes.BuildFailed, error.Code);
        StringAssert.Contains(error.Message, "line 30");
    }

    [TestMethod]
    public async Task TheEngineProbeSaysNoForAMissingCli()
    {
        var status = await DockerEngine.ProbeAsync("/nonexistent/cimg-docker");
        Assert.IsFalse(status.IsAvailable);
        StringAssert.Contains(status.Detail, "could not be started");
        Assert.IsFalse(await DockerEngine.IsAvailableAsync("/nonexistent/cimg-docker"));
    }
}
