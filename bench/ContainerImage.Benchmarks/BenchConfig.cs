using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ContainerImage.Benchmarks;

/// <summary>
/// In-process jobs (the benchmarks read multi-GiB trees; one process keeps the setup once). The full job
/// takes 1 warm-up and 5 measured iterations; with CIMG_BENCH_SHORT=1 (eng/bench.sh --short, CI smoke)
/// 1 warm-up and 2 iterations, and only the 200-file tree.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    /// <summary>True for the short CI-smoke run.</summary>
    public static bool Short => Environment.GetEnvironmentVariable("CIMG_BENCH_SHORT") == "1";

    /// <summary>The trees the tree benchmarks run over.</summary>
    public static IEnumerable<string> Trees => Short ? ["tree200"] : ["tree200", "tree20k"];

    /// <summary>The job and columns.</summary>
    public BenchConfig()
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(Short ? 2 : 5)
            // One invocation per iteration: a cold 1 GiB hash is already ~1 s, far above timer resolution.
            .WithInvocationCount(1)
            .WithUnrollFactor(1);
        AddJob(job);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddColumn(StatisticColumn.Min);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
    }
}
