using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Benchmarks;

/// <summary>
/// The existence check against the local registry (CIMG_BENCH_REGISTRY, default 127.0.0.1:5000): a fresh
/// RegistryClient per check, as one publish makes, against the baseline <c>docker buildx imagetools inspect</c>
/// of the same reference (a process start plus the same HTTP requests), measured in the same run. 30 iterations: one check is milliseconds, so more samples are cheap.
/// </summary>
[Config(typeof(BenchConfig))]
[IterationCount(30)]
public class RegistryBenchmarks
{
    private static readonly string Reference
        = (Environment.GetEnvironmentVariable("CIMG_BENCH_REGISTRY") is { Length: > 0 } r ? r : "127.0.0.1:5000") + "/local/busybox:static";

    private static readonly IReadOnlyList<Platform> Platforms = [Platform.LinuxAmd64];

    /// <summary>The baseline: <c>docker buildx imagetools inspect --raw</c>.</summary>
    [Benchmark(Baseline = true)]
    public int ImagetoolsInspect()
    {
        var start = new ProcessStartInfo("docker", ["buildx", "imagetools", "inspect", "--raw", Reference])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"imagetools inspect {Reference} failed: {process.StandardError.ReadToEnd()}");
        return output.Length;
    }

    /// <summary>RegistryClient.CheckAsync for linux/amd64 with a new client (new connection).</summary>
    [Benchmark]
    public async Task<ExistenceState> CheckAsync()
    {
        using var client = new RegistryClient();
        var result = await client.CheckAsync(Reference, Platforms);
        if (result.State != ExistenceState.Exists) throw new InvalidOperationException($"{Reference}: {result.State} {result.Detail}");
        return result.State;
    }
}
