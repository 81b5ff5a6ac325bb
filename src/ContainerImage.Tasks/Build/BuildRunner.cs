namespace ContainerImage.Build;

/// <summary>PLACEHOLDER CONTRACT (replaced by the build work): runs <c>docker buildx build</c>.</summary>
public sealed class BuildRunner
{
    /// <summary>A runner for the docker CLI at <paramref name="dockerCommand"/>.</summary>
    public BuildRunner(string dockerCommand = "docker") => DockerCommand = dockerCommand;

    /// <summary>The docker CLI.</summary>
    public string DockerCommand { get; }

    /// <summary>Runs the build, streaming each output line to <paramref name="onOutputLine"/>; cancellation stops buildx.</summary>
    public Task<BuildResult> RunAsync(BuildRequest request, Action<string> onOutputLine, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("placeholder contract");
}
