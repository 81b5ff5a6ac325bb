using System.Diagnostics;
using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.MultiArch;

/// <summary>
/// One image built once per test run for linux/amd64 and linux/arm64 and pushed, through the public
/// API: the model, the Dockerfile writer and the build runner. Its one RUN step writes the machine
/// name it ran on into /arch, so each platform's image says where its RUN step really ran.
/// </summary>
internal sealed record MultiArchBuild(string Uri, string Dockerfile, BuildResult Result, TimeSpan Elapsed, IReadOnlyList<string> Output)
{
    /// <summary>The file the RUN step writes <c>uname -m</c> into.</summary>
    public const string ArchFile = "/arch";

    private static readonly Lazy<Task<MultiArchBuild>> Shared = new(BuildAsync);

    /// <summary>The shared build (built on first use; its failure fails every test that uses it).</summary>
    public static Task<MultiArchBuild> GetAsync() => Shared.Value;

    private static async Task<MultiArchBuild> BuildAsync()
    {
        var image = Image.FromBase(MultiArchEngine.MultiArchBusybox, Engine.RegistryAddress,
                Engine.UniqueRepository("cimg-multiarch"), MultiArchEngine.BothPlatforms)
            .WithCommands([$"uname -m > {ArchFile}"])
            .WithTag("v1");
        // No layer has files, so the context is empty (the context planner is not needed for that).
        var plan = new ContextPlan(ValueArray<LayerContext>.Empty, null, ValueArray<ContextFile>.Empty);
        var dockerfile = DockerfileWriter.Write(image, plan);

        var folder = new TempDirectory("cimg-multiarch");
        try
        {
            var request = new BuildRequest
            {
                ContextDirectory = folder.Path,
                DockerfilePath = folder.Write("Dockerfile", dockerfile),
                Tags = [image.Uri],
                Platforms = image.Platforms,
                MetadataFile = Path.Combine(folder.Path, "obj", "metadata.json"),
                Output = OutputMode.Push,
            };
            var output = new List<string>();
            var clock = Stopwatch.StartNew();
            var result = await new BuildRunner().RunAsync(request, output.Add);
            clock.Stop();
            result.EnsureSuccess(image.Uri);
            return new MultiArchBuild(image.Uri, dockerfile, result, clock.Elapsed, output);
        }
        finally
        {
            folder.Dispose();
        }
    }
}
