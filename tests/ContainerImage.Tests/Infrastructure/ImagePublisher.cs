using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Model;
using System.Diagnostics;
using Docker = ContainerImage.Tests.Dockerfile.Engine;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>
/// Builds and pushes an <see cref="Image"/> through the public C# API only, as the MSBuild task will:
/// plan the context, write it, write the Dockerfile beside it, run buildx, push to <see cref="Image.Uri"/>.
/// Shared by the engine tests that build through the C# API (app images, base pinning, multi-arch).
/// </summary>
internal static class ImagePublisher
{
    /// <summary>Pushes <paramref name="image"/> and returns the Dockerfile and the pushed digest.</summary>
    public static async Task<(string Dockerfile, string Digest)> PushAsync(Image image, string? network = null)
    {
        var build = await BuildAndPushAsync(image, network);
        Assert.IsTrue(build.Result.Succeeded, $"The build of {image.Uri} failed.\n--- Dockerfile ---\n{build.Dockerfile}\n--- buildx ---\n{string.Join('\n', build.Output.TakeLast(40))}");
        Assert.IsNotNull(build.Result.Digest, "a pushed build reports its digest");
        return (build.Dockerfile, build.Result.Digest);
    }

    /// <summary>Builds and pushes <paramref name="image"/>, returning what happened without judging it.</summary>
    public static async Task<PushedBuild> BuildAndPushAsync(Image image, string? network = null)
    {
        using var folder = new TempDirectory("cimg-publisher");
        var plan = ContextPlanner.Plan(image);
        ContextWriter.Write(plan, folder.Path);
        var dockerfile = ContainerImage.Dockerfile.DockerfileWriter.Write(image, plan);
        var lines = new List<string>();
        var request = new BuildRequest
        {
            ContextDirectory = folder.Path,
            DockerfilePath = folder.Write("Dockerfile", dockerfile),
            Tags = [image.Uri],
            Platforms = image.Platforms,
            MetadataFile = Path.Combine(folder.Path, "obj", "metadata.json"),
            Output = OutputMode.Push,
            Network = network,
        };
        var clock = Stopwatch.StartNew();
        var result = await new BuildRunner().RunAsync(request, lines.Add);
        return new PushedBuild(dockerfile, result, lines, clock.Elapsed);
    }

    /// <summary>Pulls <paramref name="uri"/> from the registry into the engine (as a user of the image would get it).</summary>
    public static void Pull(string uri)
    {
        var pull = Docker.Docker(["pull", "--quiet", uri]);
        Assert.AreEqual(0, pull.ExitCode, pull.Error);
    }

    /// <summary>Runs a container of <paramref name="uri"/> (never pulling) with docker run <paramref name="options"/> and
    /// <paramref name="command"/> (none: the image's entrypoint and command); returns its standard output.</summary>
    public static string Run(string uri, IEnumerable<string> options, params string[] command)
    {
        var run = Docker.Docker(["run", "--rm", "--pull=never", "--network=none", .. options, uri, .. command]);
        Assert.AreEqual(0, run.ExitCode, $"docker run {uri} failed: {run.Error}\n{run.Output}");
        return run.Output;
    }

    /// <summary>Removes the local copies this test pulled (the registry keeps them; other users of the engine keep theirs).</summary>
    public static void Remove(params string[] uris)
    {
        foreach (var uri in uris) Docker.Docker(["image", "rm", "--force", uri]);
    }
}

/// <summary>One build through <see cref="ImagePublisher.BuildAndPushAsync"/>.</summary>
internal sealed record PushedBuild(string Dockerfile, BuildResult Result, IReadOnlyList<string> Output, TimeSpan Elapsed);
