using ContainerImage.Model;

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
}

/// <summary>Whether an image exists in its registry.</summary>
public enum ExistenceState
{
    /// <summary>The manifest exists for every requested platform.</summary>
    Exists,

    /// <summary>The manifest is absent, or lacks a requested platform.</summary>
    Missing,

    /// <summary>The check failed (network, auth, server error): never treated as "exists".</summary>
    Unknown,
}

/// <summary>The answer of an existence check.</summary>
/// <param name="State">Exists, missing or unknown.</param>
/// <param name="Digest">The manifest (or index) digest when it exists.</param>
/// <param name="Detail">Why it is missing or unknown, for the log.</param>
/// <param name="AuthenticationFailed">True when credentials were refused.</param>
public sealed record ExistenceResult(ExistenceState State, string? Digest, string? Detail, bool AuthenticationFailed = false);

/// <summary>PLACEHOLDER CONTRACT (replaced by the registry work): an OCI distribution API client.</summary>
public sealed class RegistryClient : IDisposable
{
    /// <summary>A client with <paramref name="options"/>.</summary>
    public RegistryClient(RegistryOptions? options = null) => Options = options ?? new RegistryOptions();

    /// <summary>The options in force.</summary>
    public RegistryOptions Options { get; }

    /// <summary>Asks the registry whether <paramref name="imageUri"/> exists for every platform in <paramref name="platforms"/>.</summary>
    public Task<ExistenceResult> CheckAsync(string imageUri, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("placeholder contract");

    /// <inheritdoc/>
    public void Dispose() { }
}
