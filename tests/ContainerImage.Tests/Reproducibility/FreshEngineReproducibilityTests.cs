using ContainerImage.Build;
using ContainerImage.Model;
using ContainerImage.Tests.Fixtures;
using ContainerImage.Tests.Infrastructure;
using static ContainerImage.Tests.Reproducibility.ReproducibleBuild;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>
/// The same declaration built on the shared engine and on a second, private engine that has never
/// built anything (its own dockerd, containerd, image store and build cache; bases pulled from the
/// local registry), from source trees written by two different "machines": one digest. This is the
/// promise in its strongest form: not "the same engine after a prune" but another engine.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FreshEngineReproducibilityTests
{
    private static PrivateEngine? _engine;

    /// <summary>Starts the private engine once for the class (about a second).</summary>
    [ClassInitialize]
    public static async Task StartPrivateEngine(TestContext _)
    {
        // Without the shared engine (CIMG_SKIP_ENGINE_TESTS) the tests say so themselves.
        if (!File.Exists(Engine.DefaultDockerHost["unix://".Length..]) || !File.Exists("/usr/sbin/dockerd")) return;
        _engine = await PrivateEngine.StartAsync();
    }

    /// <summary>Stops the private engine by its pid and removes all of its state.</summary>
    [ClassCleanup]
    public static void StopPrivateEngine() => _engine?.Dispose();

    [TestMethod]
    [TestCategory("Engine")]
    public async Task ADebianImageWithAptPipSourcesEnvWorkdirAndCommandsHasOneDigestOnBothEngines()
    {
        var engine = await RequirePrivateEngineAsync();
        using var index = WheelIndex.Start(
            ("cimg-fresh-app", "1.0", "fresh", ["cimg-fresh-dep==2.0"]),
            ("cimg-fresh-dep", "2.0", "dep", []));
        var repository = Engine.UniqueRepository("cimg-fresh");
        Image Declare(string sources) => Image.FromDebianBase(PythonVersion.Parse("3.11"), installCoreLibrary: false,
                registry: Engine.RegistryAddress, name: repository, platforms: [Platform.LinuxAmd64],
                baseImageTemplate: Engine.RegistryAddress + "/local/python:{python}")
            .WithPythonInstaller(PythonInstaller.Pip)
            .WithDebianBase(d => d with { AptPackages = ValueArray<string>.Empty })
            .WithAptPackages("jq")   // runs dpkg triggers and ldconfig: the logs and cache apt leaves behind
            .WithPipPackages(["cimg-fresh-app==1.0"], new PipOptions { IndexUrl = index.IndexUrl })
            .WithSourceFolder(sources, "/srv/app")
            .WithEnvVars([new("GREETING", "hello")])
            .WithWorkdir("/srv/app")
            .WithCommands(["python -c 'import cimg_fresh_app, cimg_fresh_dep; print(cimg_fresh_app.VALUE, cimg_fresh_dep.VALUE)' > /srv/app/value.txt && jq --version"])
            .WithTag("v1");

        var (shared, fresh) = await BuildOnBothAsync(Declare, r => r with { Network = "host" }, engine);

        Assert.AreEqual(shared.Digest, fresh.Digest, "the same declaration must give one digest on a fresh engine");
        Assert.IsTrue(index.Requests > 0, "pip installed from the test's index");
        // What makes the pip layer reproducible: Python saw SOURCE_DATE_EPOCH and wrote hash-based pycs
        // (PEP 552 flags 0b11: hash-based, checked against the source) instead of ones with the install time.
        var pycs = OciArchiveFiles.Find(fresh.Archive, p => p.EndsWith("/cimg_fresh_app/__pycache__/__init__.cpython-311.pyc", StringComparison.Ordinal)
                                                            || p.EndsWith("/site-packages/pip/__pycache__/__init__.cpython-311.pyc", StringComparison.Ordinal));
        Assert.AreEqual(2, pycs.Count, "the installed package's and the venv's own pip's .pyc: " + string.Join(", ", pycs.Select(p => p.Path)));
        foreach (var (path, content) in pycs) Assert.AreEqual(3u, BitConverter.ToUInt32(content, 4), $"{path}: a checked-hash pyc");
        var value = OciArchiveFiles.Find(fresh.Archive, p => p == "srv/app/value.txt").Single();
        Assert.AreEqual("fresh dep\n", System.Text.Encoding.UTF8.GetString(value.Content), "the commands ran with the installed packages");
    }

    [TestMethod]
    [TestCategory("Engine")]
    public async Task ABusyboxImageWithSourcesEnvAndARunStepHasOneDigestOnBothEngines()
    {
        var engine = await RequirePrivateEngineAsync();
        var repository = Engine.UniqueRepository("cimg-fresh");
        var (shared, fresh) = await BuildOnBothAsync(sources => ReproducibleBuild.Declare(sources, repository, "v1"), null, engine);
        Assert.AreEqual(shared.Digest, fresh.Digest);
    }

    /// <summary>One build's digest and its OCI archive (kept until the test's folder is deleted).</summary>
    private sealed record Built(string Digest, string Archive);

    /// <summary>
    /// Builds the declaration as an OCI archive on the shared engine from the <see cref="First"/>
    /// machine's sources and, at the same time, on the private engine from the <see cref="Second"/>
    /// machine's, checking that the private engine had no image and no build cache and really ran the RUN steps.
    /// </summary>
    private async Task<(Built Shared, Built Fresh)> BuildOnBothAsync(
        Func<string, Image> declare, Func<BuildRequest, BuildRequest>? change, PrivateEngine engine)
    {
        // The engine is this class's own: forgetting an earlier test's build cache there disturbs nobody.
        var prune = await engine.DockerAsync("buildx", "prune", "--all", "--force");
        Assert.AreEqual(0, prune.Code, prune.Error);
        var images = await engine.DockerAsync("image", "ls", "--quiet");
        Assert.AreEqual(0, images.Code, images.Error);
        Assert.AreEqual("", images.Output.Trim(), "the private engine holds no image");

        var sharedWork = Path.Combine(_work.Path, "shared");
        var freshWork = Path.Combine(_work.Path, "fresh");
        SourceTree(Path.Combine(sharedWork, "src"), Files, First);
        SourceTree(Path.Combine(freshWork, "src"), Files, Second);
        var sharedBuild = BuildAsync(declare(Path.Combine(sharedWork, "src")), sharedWork, OutputMode.OciArchive, change);
        var freshBuild = BuildAsync(declare(Path.Combine(freshWork, "src")), freshWork, OutputMode.OciArchive, change, new BuildRunner(engine.DockerCommand));
        await Task.WhenAll(sharedBuild, freshBuild);
        var (freshResult, freshOutput) = await freshBuild;
        Assert.IsFalse(RunStepWasCached(freshOutput), "nothing can be cached on a fresh engine:\n" + string.Join('\n', freshOutput));
        var (sharedResult, _) = await sharedBuild;
        Assert.IsNotNull(sharedResult.Digest);
        Assert.IsNotNull(freshResult.Digest);
        return (new Built(sharedResult.Digest, Path.Combine(sharedWork, "image.tar")), new Built(freshResult.Digest, Path.Combine(freshWork, "image.tar")));
    }

    private readonly TempDirectory _work = new("cimg-fresh-work");

    /// <summary>Deletes this test's folders (sources, contexts, archives).</summary>
    [TestCleanup]
    public void DeleteWork() => _work.Dispose();

    private static async Task<PrivateEngine> RequirePrivateEngineAsync()
    {
        await Engine.RequireAsync();
        return _engine ?? throw new AssertFailedException("The private engine was not started: /usr/sbin/dockerd is missing (eng/engine.sh up installs it).");
    }
}
