using System.Collections.Concurrent;
using System.Text.Json;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>
/// An OCI distribution API client that answers one question: does an image exist, for every
/// requested platform? It speaks HTTP itself (no docker CLI), takes credentials from the docker
/// config and its credential helpers, and answers <see cref="ExistenceState.Unknown"/> whenever it
/// cannot be sure: a failed check must lead to a build, never to a skipped one.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private const long MaxDocumentBytes = 16 * 1024 * 1024;
    private readonly HttpClient _http;
    private readonly Lazy<DockerConfig> _dockerConfig;
    private readonly ConcurrentDictionary<string, Task<RegistryCredentials?>> _credentials = new();

    /// <summary>A client with <paramref name="options"/>.</summary>
    public RegistryClient(RegistryOptions? options = null)
    {
        Options = options ?? new RegistryOptions();
        // Per-request timeouts come from Options.Timeout through a token, so each retry gets its own.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5 })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxDocumentBytes,
        };
        _dockerConfig = new Lazy<DockerConfig>(() => DockerConfig.Load(Options.DockerConfigPath, Options.OnWarning));
    }

    /// <summary>The options in force.</summary>
    public RegistryOptions Options { get; }

    /// <summary>
    /// Asks the registry whether <paramref name="imageUri"/> exists for every platform in
    /// <paramref name="platforms"/> (an empty list: for any platform). Throws only for an invalid
    /// reference (CIMG2004) or cancellation; every registry failure is an <see cref="ExistenceState.Unknown"/> answer.
    /// </summary>
    public async Task<ExistenceResult> CheckAsync(string imageUri, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken = default)
    {
        var reference = ImageReference.Parse(imageUri);
        var endpoint = RegistryEndpoint.For(reference, Options.InsecureRegistries);
        var session = new RegistrySession(_http, Options, endpoint, ct => CredentialsFor(endpoint, ct));
        try
        {
            using var response = await session.GetAsync(endpoint.ManifestUri, ManifestMediaTypes.All, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return ExistenceResult.Missing($"'{imageUri}' has no manifest in '{endpoint.Host}'");
            }
            if (!response.IsSuccessStatusCode)
            {
                return ExistenceResult.Unknown($"'{endpoint.Host}' answered HTTP {(int)response.StatusCode} for the manifest");
            }
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var digest = ContentDigest(response, body);
            return await InterpretManifestAsync(imageUri, endpoint, session, response.Content.Headers.ContentType?.MediaType, body, digest, platforms, cancellationToken);
        }
        catch (RegistryCheckException e)
        {
            return ExistenceResult.Unknown(e.Message, e.AuthenticationFailed);
        }
        catch (JsonException)
        {
            return ExistenceResult.Unknown($"'{endpoint.Host}' answered with a document that is not valid JSON");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<ExistenceResult> InterpretManifestAsync(
        string imageUri, RegistryEndpoint endpoint, RegistrySession session, string? contentType, byte[] body, string digest,
        IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        // The body's own mediaType wins: some registries answer a generic application/json.
        var mediaType = root.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : contentType;
        if (mediaType is null or "application/json" && root.TryGetProperty("manifests", out _)) mediaType = ManifestMediaTypes.OciIndex;
        if (mediaType is null or "application/json" && root.TryGetProperty("config", out _)) mediaType = ManifestMediaTypes.OciManifest;

        List<PlatformMatcher.DeclaredPlatform> declared;
        if (ManifestMediaTypes.IsIndex(mediaType))
        {
            declared = [];
            if (root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in manifests.EnumerateArray())
                {
                    if (entry.TryGetProperty("platform", out var platform) && PlatformMatcher.Read(platform) is { } p) declared.Add(p);
                }
            }
        }
        else if (ManifestMediaTypes.IsManifest(mediaType))
        {
            if (platforms.Count == 0) return new ExistenceResult(ExistenceState.Exists, digest, null);
            var configPlatform = await ReadConfigPlatformAsync(endpoint, session, root, cancellationToken);
            if (configPlatform is null)
            {
                return ExistenceResult.Unknown($"the image config of '{imageUri}' names no os/architecture");
            }
            declared = [configPlatform];
        }
        else
        {
            return ExistenceResult.Unknown($"'{endpoint.Host}' answered with manifest type '{mediaType}', which this check does not read");
        }

        var missing = PlatformMatcher.Missing(platforms, declared);
        if (missing.Count > 0)
        {
            var has = string.Join(", ", declared.Where(d => !d.IsUnknown).Select(d => d.ToString()));
            return ExistenceResult.Missing($"'{imageUri}' lacks {string.Join(", ", missing)} (it has {(has.Length == 0 ? "no platform" : has)})") with
            {
                MissingPlatforms = missing.Select(p => p.ToString()).ToList(),
                AvailablePlatforms = declared.Where(d => !d.IsUnknown).Select(d => d.ToString()).ToList(),
            };
        }
        return new ExistenceResult(ExistenceState.Exists, digest, null);
    }

    private static async Task<PlatformMatcher.DeclaredPlatform?> ReadConfigPlatformAsync(
        RegistryEndpoint endpoint, RegistrySession session, JsonElement manifest, CancellationToken cancellationToken)
    {
        if (!manifest.TryGetProperty("config", out var config)
            || !config.TryGetProperty("digest", out var digestElement)
            || digestElement.GetString() is not { } configDigest
            || !ImageNames.IsDigest(configDigest))
        {
            return null;
        }
        using var response = await session.GetAsync(endpoint.BlobUri(configDigest), ["application/vnd.oci.image.config.v1+json", "application/json", "*/*"], cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryCheckException($"'{endpoint.Host}' answered HTTP {(int)response.StatusCode} for the image config blob");
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return PlatformMatcher.Read(document.RootElement);
    }

    /// <summary>The registry's <c>Docker-Content-Digest</c>, else the SHA-256 of the bytes it sent (the same by definition).</summary>
    private static string ContentDigest(HttpResponseMessage response, byte[] body)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && values.FirstOrDefault() is { } header && ImageNames.IsDigest(header))
        {
            return header;
        }
        return OciDigest.Of(body);
    }

    private async Task<RegistryCredentials?> CredentialsFor(RegistryEndpoint endpoint, CancellationToken cancellationToken)
    {
        // One lookup per registry per client: a credential helper may be slow or costly to run.
        var lookup = _credentials.GetOrAdd(endpoint.CredentialKey,
            _ => _dockerConfig.Value.ResolveAsync(endpoint, Options.Timeout, Options.OnWarning, cancellationToken));
        try
        {
            return await lookup;
        }
        catch (OperationCanceledException)
        {
            // A cancelled lookup is no answer: the next check must ask again.
            _credentials.TryRemove(new KeyValuePair<string, Task<RegistryCredentials?>>(endpoint.CredentialKey, lookup));
            throw;
        }
    }
}
