using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ContainerImage.Context;

namespace ContainerImage.Benchmarks;

/// <summary>
/// FileHasher over a generated tree, against the baseline of raw single-core SHA-256 of the same bytes
/// already in memory (what the issue measured at 2.07 GB/s): the ratio shows what reading files and
/// spreading them over cores costs or gains. Cold: no hash cache (the page cache is warm, as it is right
/// after a build wrote the files). Warm: a cache file with every entry valid (nothing changed).
/// </summary>
[Config(typeof(BenchConfig))]
public class HashingBenchmarks
{
    private IReadOnlyList<ContextFile> _files = [];
    private byte[][] _contents = [];
    private string _cacheFile = "";

    /// <summary>The tree: <c>tree200</c> or <c>tree20k</c>.</summary>
    [ParamsSource(nameof(Trees))]
    public string Tree { get; set; } = "";

    /// <summary>The trees measured (CIMG_BENCH_ONLY_TREE narrows it to one).</summary>
    public static IEnumerable<string> Trees => BenchConfig.Trees;

    /// <summary>Plans the tree, loads its bytes for the baseline and writes a complete hash cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _files = BenchTrees.Files(Tree);
        _contents = _files.Select(f => File.ReadAllBytes(f.SourcePath)).ToArray();
        _cacheFile = Path.Combine(Path.GetTempPath(), "cimg-perf-hashcache-" + Tree + ".bin");
        File.Delete(_cacheFile);
        var hasher = new FileHasher(_cacheFile);
        hasher.Hash(_files);
        hasher.Save();
    }

    /// <summary>Deletes the cache file.</summary>
    [GlobalCleanup]
    public void Cleanup() => File.Delete(_cacheFile);

    /// <summary>The baseline: SHA-256 of every file's bytes, in memory, on one core.</summary>
    [Benchmark(Baseline = true)]
    public int RawSha256SingleCore()
    {
        Span<byte> hash = stackalloc byte[32];
        var sum = 0;
        foreach (var content in _contents)
        {
            SHA256.HashData(content, hash);
            sum += hash[0];
        }
        return sum;
    }

    /// <summary>FileHasher without a cache: every file read and hashed, in parallel.</summary>
    [Benchmark]
    public IReadOnlyList<string> FileHasherCold() => new FileHasher().Hash(_files);

    /// <summary>FileHasher with a valid cache file: loads it, stats every file, reads none.</summary>
    [Benchmark]
    public IReadOnlyList<string> FileHasherWarm() => new FileHasher(_cacheFile).Hash(_files);
}
