using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Benchmarks;

/// <summary>
/// The generated source trees the benchmarks read (eng/bench-tree.py makes them, deterministically, under
/// <c>CIMG_BENCH_TREES</c>, default <c>/tmp/cimg-perf</c>): <c>tree200</c> (200 files, 10 MiB) and
/// <c>tree20k</c> (20,000 files, 1 GiB).
/// </summary>
public static class BenchTrees
{
    /// <summary>The folder holding the trees.</summary>
    public static string Root => Environment.GetEnvironmentVariable("CIMG_BENCH_TREES") is { Length: > 0 } root ? root : "/tmp/cimg-perf";

    /// <summary>The absolute folder of tree <paramref name="name"/>; fails clearly when it was not generated.</summary>
    public static string Folder(string name)
    {
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The benchmark tree '{folder}' does not exist: run eng/bench.sh (it generates it) or eng/bench-tree.py.");
        return folder;
    }

    /// <summary>An image that copies the whole tree: what the benchmarks plan, hash and identify.</summary>
    public static Image ImageOf(string name, long chunkBytes = SourceFolderLayer.DefaultChunkBytes)
        => Image.FromBase("127.0.0.1:5000/local/busybox:static", name: "cimg-perf/" + name)
            .WithWorkdir("/app")
            .WithLayer(Layers.SourceFolder(Folder(name), ".") with { ChunkBytes = chunkBytes });

    /// <summary><paramref name="image"/> with the tree's own .dockerignore (itself and one folder) as a DockerIgnore layer.</summary>
    public static Image WithItsDockerIgnore(Image image, string name)
    {
        var ignore = Path.Combine(Folder(name), ".dockerignore");
        return File.Exists(ignore) ? image.WithDockerIgnore(ignore) : image;
    }

    /// <summary>The tree's files as the planner sees them.</summary>
    public static IReadOnlyList<ContextFile> Files(string name) => ContextPlanner.Plan(ImageOf(name)).AllFiles.ToList();
}
