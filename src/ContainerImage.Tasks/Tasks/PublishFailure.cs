using ContainerImage.Build;
using ContainerImage.Diagnostics;

namespace ContainerImage.Tasks;

/// <summary>
/// Names the cause of a failed publish with the most precise code: the engine is not reachable
/// (CIMG3101), a docker command was killed or crashed (CIMG3102), the push was refused (CIMG3100), or
/// the build itself failed (CIMG3002); a push from the layout folder carries its own CIMG3110-CIMG3112. Each message ends with the last lines docker printed.
/// </summary>
internal static class PublishFailure
{
    /// <summary>The coded error for <paramref name="result"/>, a failed publish of <paramref name="uri"/> to <paramref name="registry"/>.</summary>
    public static ImageDefinitionException For(BuildResult result, string uri, string? registry, string dockerCommand, CancellationToken cancellationToken)
    {
        // A push from the layout folder already says which registry, repository and HTTP status refused it.
        if (result.PushFailure is not null) return result.PushFailure;
        var lines = string.Concat(result.LastLines.Select(l => Environment.NewLine + "  " + l));
        if (result.EndedUnexpectedly)
        {
            var command = result.FailedStep switch
            {
                BuildStep.Load => "docker load",
                BuildStep.Push => "docker push",
                _ => "docker buildx build",
            };
            return new ImageDefinitionException(DiagnosticCodes.BuildProcessEndedUnexpectedly, command, Describe(result.ExitCode), uri);
        }
        // Only asked after a failure: a probe before every build would slow every publish down.
        var engine = DockerEngine.ProbeAsync(dockerCommand, cancellationToken: cancellationToken).GetAwaiter().GetResult();
        if (!engine.IsAvailable)
        {
            var host = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } value ? value : "unset: the platform default";
            return new ImageDefinitionException(DiagnosticCodes.EngineUnreachable, engine.Detail, uri, host);
        }
        if (result.FailedStep == BuildStep.Push)
        {
            return new ImageDefinitionException(DiagnosticCodes.PushFailed, uri, registry ?? "docker.io", result.ExitCode, lines);
        }
        return new ImageDefinitionException(DiagnosticCodes.BuildFailed, uri, result.ExitCode, lines);
    }

    private static string Describe(int exitCode)
        => exitCode == 255
            ? "exit code 255: its buildx plugin was ended by a signal"
            : $"ended by signal {exitCode - 128}";
}
