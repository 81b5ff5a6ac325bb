using System.Globalization;
using ContainerImage.Context;
using ContainerImage.Dockerfile;

namespace ContainerImage.Benchmarks;

/// <summary>
/// Writes the build context and Dockerfile the SDK would for a generated tree (with its .dockerignore),
/// so eng/bench.sh can build it with buildx and compare it with a naive build of the same folder.
/// </summary>
public static class ContextCommand
{
    /// <summary>Writes <c>OUT/layers/...</c> and <c>OUT/Dockerfile</c>; prints the declared bytes and COPY count.</summary>
    public static int Run(string tree, string output, long chunkBytes)
    {
        var image = BenchTrees.WithItsDockerIgnore(BenchTrees.ImageOf(tree, chunkBytes), tree);
        var plan = ContextPlanner.Plan(image);
        ContextWriter.Write(plan, output);
        var dockerfile = DockerfileWriter.Write(image, plan);
        File.WriteAllText(Path.Combine(output, "Dockerfile"), dockerfile);
        var declared = plan.AllFiles.Sum(f => f.Length);
        var copies = dockerfile.Split('\n').Count(l => l.StartsWith("COPY ", StringComparison.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"declared_bytes={declared} files={plan.AllFiles.Count()} copies={copies}"));
        return 0;
    }
}
