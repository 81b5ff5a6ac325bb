namespace ContainerImage.Registry;

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
public sealed record ExistenceResult(ExistenceState State, string? Digest, string? Detail, bool AuthenticationFailed = false)
{
    /// <summary>When the image exists but lacks requested platforms: those platforms (else empty).</summary>
    public IReadOnlyList<string> MissingPlatforms { get; init; } = [];

    /// <summary>When <see cref="MissingPlatforms"/> is not empty: the platforms the image does have.</summary>
    public IReadOnlyList<string> AvailablePlatforms { get; init; } = [];

    internal static ExistenceResult Missing(string detail) => new(ExistenceState.Missing, null, detail);

    internal static ExistenceResult Unknown(string detail, bool authenticationFailed = false)
        => new(ExistenceState.Unknown, null, detail, authenticationFailed);
}
