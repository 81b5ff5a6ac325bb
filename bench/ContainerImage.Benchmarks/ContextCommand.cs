using System.Globalization;
using System.Text.Json;
using ContainerImage.Context;
using ContainerImage.Dockerfile;

namespace ContainerImage.Benchmarks;

/// <summary>
/// Writes the build context and Dockerfile the SDK would for a generated tree (with its .dockerignore),
/// so eng/bench.sh can build it with buildx and compare it with a naive build of the same folder; and, as
/// GenerateImageDefinition does, <c>Dockerfile.linked</c> with <c>linked-chunks.json</c> (the chunks it links) for the
/// SDK's default push, which re-times the layers itself.
/// </summary>
public static class ContextCommand
{
    /// <summary>The chunks <c>Dockerfile.linked</c> links, as JSON, beside it.</summary>
    public const string LinkedChunksFile = "linked-chunks.json";

    /// <summary>Writes <c>OUT/layers/...</c> and <c>OUT/Dockerfile</c>; prints the declared bytes and COPY count.</summary>
    public static int Run(string tree, string output, long chunkBytes)
    {
        var image = BenchTrees.WithItsDockerIgnore(BenchTrees.ImageOf(tree, chunkBytes), tree);
        var plan = ContextPlanner.Plan(image);
        ContextWriter.Write(plan, output);
        var dockerfile = DockerfileWriter.Write(image, plan);
        File.WriteAllText(Path.Combine(output, "Dockerfile"), dockerfile);
        var linked = DockerfileWriter.WriteLinked(image, plan, DockerfileOptions.Default);
        File.Delete(Path.Combine(output, "Dockerfile.linked"));
        File.Delete(Path.Combine(output, LinkedChunksFile));
        if (linked is not null)
        {
            File.WriteAllText(Path.Combine(output, "Dockerfile.linked"), linked.Text);
            File.WriteAllText(Path.Combine(output, LinkedChunksFile), JsonSerializer.Serialize(linked.Chunks));
        }
        var declared = plan.AllFiles.Sum(f => f.Length);
        var copies = dockerfile.Split('\n').Count(l => l.StartsWith("COPY ", StringComparison.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"declared_bytes={declared} files={plan.AllFiles.Count()} copies={copies}"));
        return 0;
    }
}
