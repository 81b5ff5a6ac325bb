using ContainerImage.Build;
using ContainerImage.Tests.Infrastructure;
using static ContainerImage.Tests.Reproducibility.ReproducibleBuild;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>
/// The same declared image built twice on fresh engine state, from source trees written by two
/// different "machines" (other umask, other file order, other times), with the request's defaults:
/// one digest. And the controls: a changed file or execute bit gives another digest.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix permission bits are the point.
[DoNotParallelize] // Each test prunes the build cache between its builds.
public sealed class ReproducibilityEngineTests
{
    [TestMethod]
    [TestCategory("Engine")]
    public async Task APushTwiceOnFreshStateGivesOneDigestInTheRegistry()
    {
        await Engine.RequireAsync();
        var repository = Engine.UniqueRepository("cimg-repro");
        var digests = new List<string>();
        var uris = new List<string>();
        // Fresh from the first build on: another test may have built this very declaration before.
        ForgetEverything();
        foreach (var (machine, tag) in new[] { (First, "first"), (Second, "second") })
        {
            using var work = new TempDirectory("cimg-repro");
            SourceTree(Path.Combine(work.Path, "src"), Files, machine);
            var image = Declare(Path.Combine(work.Path, "src"), repository, tag);
            var (result, output) = await BuildAsync(image, work.Path, OutputMode.Push);
            Assert.IsFalse(RunStepWasCached(output), "the RUN step must really run again on fresh state");
            Assert.AreEqual(result.Digest, await RegistryDigestAsync(repository, tag), "the reported digest is the one the registry serves");
            digests.Add(result.Digest!);
            uris.Add(image.Uri);
            ForgetEverything(image.Uri);
        }
        Assert.AreEqual(digests[0], digests[1], "two pushes of one declaration on fresh state must give one digest");
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task AnOciArchiveTwiceOnFreshStateGivesOneDigest()
    {
        await Engine.RequireAsync();
        var digests = await BuildTwiceAsync(OutputMode.OciArchive, Files, Files, First, Second);
        Assert.AreEqual(digests[0], digests[1]);
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task ALoadTwiceOnFreshStateGivesOneDigestInTheEngine()
    {
        await Engine.RequireAsync();
        var repository = Engine.UniqueRepository("cimg-repro");
        var ids = new List<string>();
        foreach (var (machine, tag) in new[] { (First, "first"), (Second, "second") })
        {
            using var work = new TempDirectory("cimg-repro");
            SourceTree(Path.Combine(work.Path, "src"), Files, machine);
            var image = Declare(Path.Combine(work.Path, "src"), repository, tag);
            var (result, _) = await BuildAsync(image, work.Path, OutputMode.Load);
            // With the containerd image store the image id is the manifest digest.
            var id = Tests.Context.DockerCli.Run("image", "inspect", "--format", "{{.Id}}", image.Uri).Trim();
            Assert.AreEqual(result.Digest, id, "the loaded image is the one the build reported");
            Assert.AreEqual("built", Tests.Context.DockerCli.Run("run", "--rm", "--pull=never", image.Uri, "cat", "/app/built.txt").Trim());
            ids.Add(id);
            ForgetEverything(image.Uri);
        }
        Assert.AreEqual(ids[0], ids[1]);
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task PermissionBitsOtherThanExecuteDoNotChangeTheDigest()
    {
        await Engine.RequireAsync();
        // umask 0077 against umask 0022: only group/other bits differ.
        var digests = await BuildTwiceAsync(OutputMode.OciArchive, Files, Files, First, Private);
        Assert.AreEqual(digests[0], digests[1]);
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task AChangedFileContentChangesTheDigest()
    {
        await Engine.RequireAsync();
        var changed = Files.Select(f => f.RelativePath == "app.py" ? f with { Content = "print('hello!')\n" } : f).ToList();
        var digests = await BuildTwiceAsync(OutputMode.OciArchive, Files, changed, First, First);
        Assert.AreNotEqual(digests[0], digests[1], "the negative control: another input must give another image");
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task AChangedExecuteBitChangesTheDigest()
    {
        await Engine.RequireAsync();
        var changed = Files.Select(f => f.RelativePath == "app.py" ? f with { Executable = true } : f).ToList();
        var digests = await BuildTwiceAsync(OutputMode.OciArchive, Files, changed, First, First);
        Assert.AreNotEqual(digests[0], digests[1], "the execute bit is declared input: it must reach the image");
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task WithoutAnEpochTwoBuildsDiffer()
    {
        // Shows what the defaults are for: the same build without SOURCE_DATE_EPOCH is not reproducible.
        await Engine.RequireAsync();
        var digests = await BuildTwiceAsync(OutputMode.OciArchive, Files, Files, First, First, r => r with { SourceDateEpoch = null });
        Assert.AreNotEqual(digests[0], digests[1]);
    }

    private static async Task<List<string>> BuildTwiceAsync(
        OutputMode output, IReadOnlyList<SourceFile> firstFiles, IReadOnlyList<SourceFile> secondFiles,
        Machine firstMachine, Machine secondMachine, Func<BuildRequest, BuildRequest>? change = null)
    {
        var repository = Engine.UniqueRepository("cimg-repro");
        var digests = new List<string>();
        // Fresh from the first build on: another test may have built this very declaration before.
        ForgetEverything();
        foreach (var (files, machine) in new[] { (firstFiles, firstMachine), (secondFiles, secondMachine) })
        {
            using var work = new TempDirectory("cimg-repro");
            SourceTree(Path.Combine(work.Path, "src"), files, machine);
            var image = Declare(Path.Combine(work.Path, "src"), repository, "v1");
            var (result, output_) = await BuildAsync(image, work.Path, output, change);
            Assert.IsFalse(RunStepWasCached(output_), "the RUN step must really run again on fresh state");
            Assert.IsNotNull(result.Digest);
            digests.Add(result.Digest);
            ForgetEverything();
        }
        return digests;
    }

    private static async Task<string?> RegistryDigestAsync(string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Engine.RegistryAddress}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : null;
    }
}
