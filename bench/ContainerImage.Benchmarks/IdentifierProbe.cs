using System.Diagnostics;
using System.Globalization;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Identity;

namespace ContainerImage.Benchmarks;

/// <summary>Where a no-change identifier's time goes: each step of ImageIdentifier.Compute timed on its own (best of N).</summary>
public static class IdentifierProbe
{
    /// <summary>Prints the best wall time of each step.</summary>
    public static int Run(string tree, int rounds)
    {
        var image = BenchTrees.ImageOf(tree);
        var cache = Path.Combine(Path.GetTempPath(), "cimg-perf-probe-" + tree + ".bin");
        File.Delete(cache);
        var plan = ContextPlanner.Plan(image);
        var warm = new FileHasher(cache);
        warm.Hash(plan.AllFiles.ToList());
        warm.Save();
        var steps = new (string Name, Action Body)[]
        {
            ("plan", () => ContextPlanner.Plan(image)),
            ("cache load", () => _ = new FileHasher(cache)),
            ("cache load + hash (warm)", () => new FileHasher(cache).Hash(plan.AllFiles.ToList())),
            ("dockerfile text", () => DockerfileWriter.Write(image, plan)),
            ("compute, plan given, warm", () => ImageIdentifier.Compute(image, plan, new FileHasher(cache))),
            ("compute from scratch, warm", () => ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(cache))),
        };
        foreach (var (name, body) in steps)
        {
            var best = double.MaxValue;
            for (var i = 0; i < rounds; i++)
            {
                var watch = Stopwatch.StartNew();
                body();
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {best:0.0} ms | {File.ReadAllText("/proc/loadavg").Trim()} |"));
        }
        File.Delete(cache);
        return 0;
    }
}
