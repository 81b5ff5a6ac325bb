using ContainerImage.Build;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.MultiArch;

/// <summary>
/// One image built once per test run for linux/amd64 and linux/arm64 and pushed, through the public
/// API (<see cref="ImagePublisher"/>): the model, the context planner, the Dockerfile writer and the build runner. Its one RUN step writes the machine
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
        var build = await ImagePublisher.BuildAndPushAsync(image);
        build.Result.EnsureSuccess(image.Uri);
        return new MultiArchBuild(image.Uri, build.Dockerfile, build.Result, build.Elapsed, build.Output);
    }
}
