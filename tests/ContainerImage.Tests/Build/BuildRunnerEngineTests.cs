using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>The runner against the real engine and the local registry.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class BuildRunnerEngineTests
{
    [TestInitialize]
    public Task RequireEngine() => Engine.RequireAsync();

    private static BuildRequest Request(TempDirectory folder, string dockerfile, OutputMode output, params string[] tags) => new()
    {
        ContextDirectory = folder.Path,
        DockerfilePath = folder.Write("Dockerfile", dockerfile),
        Tags = tags,
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = Path.Combine(folder.Path, "obj", "metadata.json"),
        Output = output,
    };

    [TestMethod]
    public async Task APushedImagesDigestIsTheRegistrysDigest()
    {
        using var folder = new TempDirectory();
        var uri = $"{Engine.RegistryAddress}/{Engine.UniqueRepository("cimg-build")}:v1";
        var request = Request(folder, $"FROM {Engine.BusyboxImage}\nRUN echo {Guid.NewGuid():N} > /id\n", OutputMode.Push, uri);
        var lines = new List<string>();
        var result = await new BuildRunner().RunAsync(request, lines.Add);
        result.EnsureSuccess(uri);
        Assert.IsNotNull(result.Digest, string.Join('\n', lines));
        Assert.IsTrue(lines.Count > 3, "buildx progress must stream to the callback");

        using var http = new HttpClient();
        var reference = ImageReference.Parse(uri);
        using var head = new HttpRequestMessage(HttpMethod.Head, $"http://{reference.Registry}/v2/{reference.Repository}/manifests/{reference.Tag}");
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                     "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json" })
        {
            head.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var response = await http.SendAsync(head);
        Assert.IsTrue(response.IsSuccessStatusCode, $"HEAD answered {(int)response.StatusCode}");
        Assert.AreEqual(response.Headers.GetValues("Docker-Content-Digest").Single(), result.Digest);
    }

    [TestMethod]
    public async Task ALoadedImageIsInTheEngine()
    {
        using var folder = new TempDirectory();
        var tag = $"cimg-build-load-{Guid.NewGuid():N}:v1";
        var request = Request(folder, $"FROM {Engine.BusyboxImage}\nRUN echo loaded > /id\n", OutputMode.Load, tag);
        var result = await new BuildRunner().RunAsync(request, _ => { });
        result.EnsureSuccess(tag);
        Assert.IsNotNull(result.Digest);
        try
        {
            Assert.AreEqual("loaded", (await Docker("run", "--rm", "--pull=never", tag, "cat", "/id")).Trim());
        }
        finally
        {
            await Docker("image", "rm", "-f", tag);
        }
    }

    [TestMethod]
    public async Task ASecretFromAnEnvironmentVariableReachesTheRunStepAndNeverTheOutput()
    {
        using var folder = new TempDirectory();
        var value = "cimg-secret-" + Guid.NewGuid().ToString("N");
        var variable = "CIMG_BUILD_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var scope = new EnvironmentScope(variable, value);
        // The Dockerfile holds only the value's hash: the value itself must come through the secret.
        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLowerInvariant();
        string Dockerfile(string hash) =>
            $"FROM {Engine.BusyboxImage}\n" +
            $"RUN --mount=type=secret,id=s,required=true test \"$(sha256sum /run/secrets/s | cut -d' ' -f1)\" = \"{hash}\"\n" +
            "RUN --mount=type=secret,id=s,required=true echo \"leak: $(cat /run/secrets/s)\"\n";
        var secret = Secret.AsFile("s", "/run/secrets/s", sourceVariable: variable);

        var lines = new List<string>();
        var request = Request(folder, Dockerfile(expected), OutputMode.None) with { Secrets = [secret, secret], ExtraArgs = ["--no-cache"] };
        var result = await new BuildRunner().RunAsync(request, lines.Add);
        Assert.AreEqual(0, result.ExitCode, string.Join('\n', lines));
        Assert.IsFalse(lines.Any(l => l.Contains(value)), "the secret value must not reach the output");
        Assert.IsTrue(lines.Any(l => l.Contains("leak: ***")), "the echoing step ran and was masked:\n" + string.Join('\n', lines));

        // The same build with another expected hash fails: the check above really compares.
        var wrong = Request(folder, Dockerfile(new string('0', 64)), OutputMode.None) with { Secrets = [secret], ExtraArgs = ["--no-cache"] };
        var failed = await new BuildRunner().RunAsync(wrong, _ => { });
        Assert.AreNotEqual(0, failed.ExitCode);
    }

    [TestMethod]
    public async Task CancellationStopsALongBuildWithinSeconds()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, $"FROM {Engine.BusyboxImage}\nRUN sleep 60 && echo {Guid.NewGuid():N}\n", OutputMode.None) with { ExtraArgs = ["--no-cache"] };
        using var cancel = new CancellationTokenSource();
        var sleeping = new TaskCompletionSource();
        var run = new BuildRunner().RunAsync(request, line =>
        {
            if (line.Contains("RUN sleep 60")) sleeping.TrySetResult();
        }, cancel.Token);
        await Task.WhenAny(sleeping.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.IsTrue(sleeping.Task.IsCompleted, "the build never reached the sleeping step");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cancel.Cancel();
        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(() => run);
        Assert.AreEqual(DiagnosticCodes.BuildCancelled, error.Code);
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}");
        Assert.IsFalse(File.Exists(request.MetadataFile));
    }

    [TestMethod]
    public async Task AFailingRunStepReturnsItsExitCodeAndTheErrorLines()
    {
        using var folder = new TempDirectory();
        var request = Request(folder, $"FROM {Engine.BusyboxImage}\nRUN echo cimg-about-to-fail-{Guid.NewGuid():N} && exit 3\n", OutputMode.None);
        var result = await new BuildRunner().RunAsync(request, _ => { });
        Assert.AreNotEqual(0, result.ExitCode);
        Assert.IsTrue(result.LastLines.Count is > 0 and <= BuildRunner.TailLength);
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => result.EnsureSuccess("app"));
        StringAssert.Contains(error.Message, "exit code: 3");
    }

    [TestMethod]
    public async Task OciArchivesWithASourceDateEpochAreReproducible()
    {
        using var folder = new TempDirectory();
        var digests = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            var request = Request(folder, $"FROM {Engine.BusyboxImage}\nRUN echo same > /file\n", OutputMode.OciArchive) with
            {
                ArchivePath = Path.Combine(folder.Path, $"image{i}.tar"),
                SourceDateEpoch = 1700000000,
                ExtraArgs = ["--no-cache"],
            };
            var result = await new BuildRunner().RunAsync(request, _ => { });
            result.EnsureSuccess("archive");
            Assert.IsTrue(new FileInfo(request.ArchivePath!).Length > 0);
            digests.Add(result.Digest);
        }
        Assert.IsNotNull(digests[0]);
        Assert.AreEqual(digests[0], digests[1], "two clean builds with one epoch must give one digest (rewrite-timestamp)");
    }

    [TestMethod]
    public async Task TheEngineProbeFindsTheEngine()
        => Assert.IsTrue(await DockerEngine.IsAvailableAsync());

    private static async Task<string> Docker(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
