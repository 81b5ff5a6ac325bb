using BenchmarkDotNet.Attributes;
using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;

namespace ContainerImage.Benchmarks;

/// <summary>
/// ContextPlanner.Plan and ImageIdentifier.Compute over a generated tree. The baseline is the bare walk:
/// enumerating the tree's files with their size and time (what any up-to-date check must do at least),
/// so the ratios show what ignore rules, planning, and hashing add on top of it.
/// </summary>
[Config(typeof(BenchConfig))]
public class IdentifierBenchmarks
{
    private Image _image = null!;
    private Image _ignoring = null!;
    private ContextPlan _plan = null!;
    private string _folder = "";
    private string _cacheFile = "";

    /// <summary>The tree: <c>tree200</c> or <c>tree20k</c>.</summary>
    [ParamsSource(nameof(Trees))]
    public string Tree { get; set; } = "";

    /// <summary>The trees measured.</summary>
    public static IEnumerable<string> Trees => BenchConfig.Trees;

    /// <summary>Builds the image and a complete hash cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchTrees.Folder(Tree);
        _image = BenchTrees.ImageOf(Tree);
        _ignoring = BenchTrees.WithItsDockerIgnore(_image, Tree);
        _plan = ContextPlanner.Plan(_image);
        _cacheFile = Path.Combine(Path.GetTempPath(), "cimg-perf-idcache-" + Tree + ".bin");
        File.Delete(_cacheFile);
        var hasher = new FileHasher(_cacheFile);
        ImageIdentifier.Compute(_image, _plan, hasher);
        hasher.Save();
    }

    /// <summary>Deletes the cache file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_cacheFile);
        File.Delete(_cacheFile + ".layers");
    }

    /// <summary>The baseline: every file of the tree with its size and modification time.</summary>
    [Benchmark(Baseline = true)]
    public long BareWalk()
    {
        long sum = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var info in new DirectoryInfo(_folder).EnumerateFiles("*", options)) sum += info.Length ^ info.LastWriteTimeUtc.Ticks;
        return sum;
    }

    /// <summary>The context plan: walk, ignore rules, real paths, execute bits.</summary>
    [Benchmark]
    public ContextPlan Plan() => ContextPlanner.Plan(_image);

    /// <summary>The context plan with the tree's .dockerignore as a DockerIgnore layer (what a real project has).</summary>
    [Benchmark]
    public ContextPlan PlanWithDockerIgnore() => ContextPlanner.Plan(_ignoring);

    /// <summary>The identifier from cold (no cache): the plan hands each top-level folder to the hasher as soon as it is walked.</summary>
    [Benchmark]
    public string IdentifierCold()
    {
        var hasher = new FileHasher();
        return ImageIdentifier.Compute(_image, ContextPlanner.Plan(_image, hasher), hasher).Identifier;
    }

    /// <summary>The identifier from cold, one step after the other: plan, then every file hashed (IdentifierCold before run 6).</summary>
    [Benchmark]
    public string IdentifierColdPlanThenHash() => ImageIdentifier.Compute(_image, ContextPlanner.Plan(_image), new FileHasher()).Identifier;

    /// <summary>
    /// The identifier with the caches and nothing changed, in the documented order: the hasher first (its layer cache
    /// loads while the plan walks), the plan, then each layer's manifest from the layer cache.
    /// </summary>
    [Benchmark]
    public string IdentifierWarm()
    {
        var hasher = new FileHasher(_cacheFile);
        return ImageIdentifier.Compute(_image, ContextPlanner.Plan(_image, hasher), hasher).Identifier;
    }

    /// <summary>The same, plan first and the hasher after it (IdentifierWarm before run 6: nothing overlaps).</summary>
    [Benchmark]
    public string IdentifierWarmPlanFirst() => ImageIdentifier.Compute(_image, ContextPlanner.Plan(_image), new FileHasher(_cacheFile)).Identifier;

    /// <summary>
    /// The identifier with the per-file hash cache only (the layer cache deleted first, as before run 4): plan,
    /// cache load, one lookup per file, sorting and encoding every manifest.
    /// </summary>
    [Benchmark]
    public string IdentifierWarmPerFileCacheOnly()
    {
        File.Delete(_cacheFile + ".layers");
        return ImageIdentifier.Compute(_image, ContextPlanner.Plan(_image), new FileHasher(_cacheFile)).Identifier;
    }
}
