using System.Text;
using System.Text.Json;
using ContainerImage.Diagnostics;

namespace ContainerImage.Registry;

/// <summary>
/// The parts of a docker CLI <c>config.json</c> that say how to authenticate: <c>auths</c>
/// (inline credentials), <c>credHelpers</c> (a helper per registry) and <c>credsStore</c> (the
/// default helper). A missing file means "no credentials"; an unreadable one is a CIMG1003 warning.
/// </summary>
internal sealed class DockerConfig
{
    private readonly Dictionary<string, RegistryCredentials> _auths;
    private readonly Dictionary<string, string> _credentialHelpers;

    private DockerConfig(Dictionary<string, RegistryCredentials> auths, Dictionary<string, string> credentialHelpers, string? credentialsStore)
    {
        _auths = auths;
        _credentialHelpers = credentialHelpers;
        CredentialsStore = credentialsStore;
    }

    /// <summary>The default helper (<c>credsStore</c>), or null.</summary>
    public string? CredentialsStore { get; }

    /// <summary>A config with no credentials at all.</summary>
    public static DockerConfig Empty { get; } = new([], [], null);

    /// <summary><c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</summary>
    public static string DefaultPath()
    {
        var folder = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(folder))
        {
            folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }
        return Path.Combine(folder, "config.json");
    }

    /// <summary>Reads <paramref name="path"/> (default: <see cref="DefaultPath"/>).</summary>
    public static DockerConfig Load(string? path, Action<ImageProblem>? warn)
    {
        var file = string.IsNullOrEmpty(path) ? DefaultPath() : path;
        if (!File.Exists(file)) return Empty;
        try
        {
            return Parse(File.ReadAllText(file), file, warn);
        }
        catch (IOException e)
        {
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.DockerConfigInvalid, null, file, e.GetType().Name));
        }
        catch (UnauthorizedAccessException)
        {
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.DockerConfigInvalid, null, file, "access denied"));
        }
        return Empty;
    }

    /// <summary>Parses config text; <paramref name="file"/> only names it in warnings.</summary>
    public static DockerConfig Parse(string json, string file, Action<ImageProblem>? warn)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            // JsonException's message quotes the offending text, which may be part of a password: give the line only.
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.DockerConfigInvalid, null, file, $"not valid JSON near line {(e.LineNumber ?? 0) + 1}"));
            return Empty;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                warn?.Invoke(ImageProblem.Create(DiagnosticCodes.DockerConfigInvalid, null, file, "the top level is not a JSON object"));
                return Empty;
            }
            var auths = new Dictionary<string, RegistryCredentials>();
            if (root.TryGetProperty("auths", out var authsElement) && authsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in authsElement.EnumerateObject())
                {
                    var credentials = ReadAuthEntry(entry, file, warn);
                    if (credentials is not null) auths[RegistryEndpoint.NormalizeHost(entry.Name)] = credentials;
                }
            }
            var helpers = new Dictionary<string, string>();
            if (root.TryGetProperty("credHelpers", out var helpersElement) && helpersElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in helpersElement.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(entry.Value.GetString()))
                    {
                        helpers[RegistryEndpoint.NormalizeHost(entry.Name)] = entry.Value.GetString()!;
                    }
                }
            }
            var store = root.TryGetProperty("credsStore", out var storeElement) && storeElement.ValueKind == JsonValueKind.String
                ? storeElement.GetString()
                : null;
            return new DockerConfig(auths, helpers, string.IsNullOrEmpty(store) ? null : store);
        }
    }

    /// <summary>The helper named for <paramref name="host"/> in <c>credHelpers</c>, or null.</summary>
    public string? HelperFor(string host)
        => _credentialHelpers.TryGetValue(RegistryEndpoint.NormalizeHost(host), out var helper) ? helper : null;

    /// <summary>The inline <c>auths</c> credentials for <paramref name="host"/>, or null.</summary>
    public RegistryCredentials? InlineCredentialsFor(string host)
        => _auths.TryGetValue(RegistryEndpoint.NormalizeHost(host), out var credentials) ? credentials : null;

    /// <summary>
    /// The credentials for a registry: its <c>credHelpers</c> entry first, then inline <c>auths</c>,
    /// then the <c>credsStore</c> (docker's own order, forgiving of stale <c>auths</c> keys a store leaves).
    /// </summary>
    public async Task<RegistryCredentials?> ResolveAsync(RegistryEndpoint endpoint, TimeSpan timeout, Action<ImageProblem>? warn, CancellationToken cancellationToken)
    {
        var helper = HelperFor(endpoint.Host);
        if (helper is not null)
        {
            return await CredentialHelper.GetAsync(helper, endpoint.CredentialKey, timeout, warn, cancellationToken);
        }
        var inline = InlineCredentialsFor(endpoint.Host);
        if (inline is not null) return inline;
        return CredentialsStore is null
            ? null
            : await CredentialHelper.GetAsync(CredentialsStore, endpoint.CredentialKey, timeout, warn, cancellationToken);
    }

    private static RegistryCredentials? ReadAuthEntry(JsonProperty entry, string file, Action<ImageProblem>? warn)
    {
        if (entry.Value.ValueKind != JsonValueKind.Object) return null;
        string? Text(string name) => entry.Value.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var identityToken = Text("identitytoken");
        if (!string.IsNullOrEmpty(identityToken)) return new RegistryCredentials("<token>", identityToken);
        var auth = Text("auth");
        if (!string.IsNullOrEmpty(auth))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                var colon = decoded.IndexOf(':');
                if (colon > 0) return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
            }
            catch (FormatException)
            {
                // Reported below, with the same words as a decoded value without a colon.
            }
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.DockerConfigInvalid, null, file,
                $"the 'auth' of '{entry.Name}' is not base64 of 'user:password'"));
            return null;
        }
        var user = Text("username");
        var password = Text("password");
        return !string.IsNullOrEmpty(user) && password is not null ? new RegistryCredentials(user, password) : null;
    }
}
