using ContainerImage.Diagnostics;

namespace ContainerImage.Registry;

/// <summary>Settings for registry calls.</summary>
public sealed record RegistryOptions
{
    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a failed request (network error or 5xx), with a short back-off.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Registries (host[:port]) reached over plain HTTP; loopback registries always are.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>The docker config file; default <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.</summary>
    public string? DockerConfigPath { get; init; }

    /// <summary>
    /// Receives coded warnings (an unreadable docker config, a failing credential helper). The check
    /// goes on without those credentials, so these are warnings, never errors. Messages never hold secrets.
    /// </summary>
    public Action<ImageProblem>? OnWarning { get; init; }

    /// <summary>
    /// Told, in one line without secrets, each time a failed request is retried (what failed, which
    /// attempt comes next), so a flaky registry shows in the log even when a retry succeeds.
    /// </summary>
    public Action<string>? OnRetry { get; init; }
}
