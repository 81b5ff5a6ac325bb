using System.Diagnostics;
using System.Globalization;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Identity;

namespace ContainerImage.Benchmarks;

/// <summary>Where a no-change identifier's time goes: each step of ImageIdentifier.Compute timed on its own (best of N).</summary>
public static class IdentifierProbe
{
    /// <summary>Prints the best wall time, the best and median CPU time and the best user-mode CPU time (the rest is the kernel's) of each step.</summary>
    public static int Run(string tree, int rounds)
    {
        var image = BenchTrees.ImageOf(tree);
        var ignoring = BenchTrees.WithItsDockerIgnore(image, tree);
        var cache = Path.Combine(Path.GetTempPath(), "cimg-perf-probe-" + tree + ".bin");
        File.Delete(cache);
        var plan = ContextPlanner.Plan(image);
        var warm = new FileHasher(cache);
        // Through the identifier, so both caches (per file, per layer) are written.
        ImageIdentifier.Compute(image, plan, warm);
        warm.Save();
        var folder = BenchTrees.Folder(tree);
        var layers = cache + ".layers";
        var layerBytes = File.ReadAllBytes(layers);
        var steps = new (string Name, Action Body)[]
        {
            ("bare walk (the floor)", () => BareWalk(folder)),
            ("plan", () => ContextPlanner.Plan(image)),
            ("plan with the tree's .dockerignore", () => ContextPlanner.Plan(ignoring)),
            ("hasher created (loads the layer cache; the per-file cache loads on first use)", () => _ = new FileHasher(cache)),
            ("cache load + hash (warm)", () => new FileHasher(cache).Hash(plan.AllFiles.ToList())),
            ("layer manifest cache load (alone)", () => _ = new LayerManifestCache(layers)),
            ("layer keys (hash of each layer's walk)", () => { foreach (var layer in plan.Layers) LayerManifestCache.KeyOf(layer.Files); }),
            ("dockerfile text", () => DockerfileWriter.Write(image, plan)),
            ("compute, plan given, warm", () => ImageIdentifier.Compute(image, plan, new FileHasher(cache))),
            ("compute from scratch, warm", () => ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(cache))),
            // The layer manifest cache removed before each run: per-file hash cache only (the identifier before run 4).
            ("compute, plan given, per-file cache only", () => { File.Delete(layers); ImageIdentifier.Compute(image, plan, new FileHasher(cache)); }),
            ("compute from scratch, per-file cache only", () => { File.Delete(layers); ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(cache)); }),
            ("layer cache restored", () => File.WriteAllBytes(layers, layerBytes)),
        };
        foreach (var (name, body) in steps)
        {
            var best = double.MaxValue;
            var cpu = new List<double>();
            var user = new List<double>();
            var allocated = 0.0;
            var process = Process.GetCurrentProcess();
            for (var i = 0; i < rounds; i++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var userBefore = process.UserProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
                var watch = Stopwatch.StartNew();
                body();
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                user.Add((process.UserProcessorTime - userBefore).TotalMilliseconds);
                allocated = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / 1e6;
            }
            cpu.Sort();
            user.Sort();
            // CPU time of the whole process (all threads, GC included): what other load on a shared machine barely changes.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {best:0.0} ms | {cpu[0]:0} ms | {cpu[cpu.Count / 2]:0} ms | {user[0]:0}/{user[user.Count / 2]:0} ms | {allocated:0.0} MB | {File.ReadAllText("/proc/loadavg").Trim()} |"));
        }
        File.Delete(cache);
        File.Delete(layers);
        return 0;
    }

    private static long BareWalk(string folder)
    {
        long sum = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var info in new DirectoryInfo(folder).EnumerateFiles("*", options)) sum += info.Length ^ info.LastWriteTimeUtc.Ticks;
        return sum;
    }
}
