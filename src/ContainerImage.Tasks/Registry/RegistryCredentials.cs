namespace ContainerImage.Registry;

/// <summary>
/// Credentials for one registry. A class, not a record, so that no generated <c>ToString</c> can ever
/// print the secret into a log or an exception.
/// </summary>
internal sealed class RegistryCredentials
{
    /// <summary>The user name and password (or token) to send.</summary>
    public RegistryCredentials(string username, string secret)
    {
        Username = username;
        Secret = secret;
    }

    /// <summary>The user name; <c>&lt;token&gt;</c> marks an identity (refresh) token.</summary>
    public string Username { get; }

    /// <summary>The password, or the identity token.</summary>
    public string Secret { get; }

    /// <summary>
    /// True when <see cref="Secret"/> is an OAuth2 refresh token (docker's convention for
    /// <c>identitytoken</c> entries and helpers answering user <c>&lt;token&gt;</c>), exchanged with a POST.
    /// </summary>
    public bool IsIdentityToken => Username == "<token>";

    /// <summary>The value of a Basic <c>Authorization</c> header.</summary>
    public string ToBasicParameter()
        => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Secret));

    /// <inheritdoc/>
    public override string ToString() => $"credentials for user '{Username}'";
}
