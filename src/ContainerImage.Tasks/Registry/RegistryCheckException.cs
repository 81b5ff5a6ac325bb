namespace ContainerImage.Registry;

/// <summary>
/// Why a registry call could not answer (network, server error, refused credentials). Internal:
/// <see cref="RegistryClient.CheckAsync"/> turns it into an <see cref="ExistenceState.Unknown"/> result.
/// Its message never holds credentials or tokens.
/// </summary>
internal sealed class RegistryCheckException : Exception
{
    /// <summary>A failure described by <paramref name="detail"/>.</summary>
    public RegistryCheckException(string detail, bool authenticationFailed = false)
        : base(detail)
    {
        AuthenticationFailed = authenticationFailed;
    }

    /// <summary>True when the registry or its token service refused the credentials (or asked for some we lack).</summary>
    public bool AuthenticationFailed { get; }
}
