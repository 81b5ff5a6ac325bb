using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ContainerImage.Registry;

/// <summary>
/// The HTTP conversation with one repository during one check: retries with back-off, and the
/// authentication dance (a 401 with a Bearer challenge is answered with a token from the realm; a
/// Basic challenge with the user and password). The <c>Authorization</c> value it earns is reused
/// for the following requests of the same check (e.g. the config blob).
/// </summary>
internal sealed class RegistrySession
{
    private const string TokenClientId = "containerimage-sdk";
    private readonly HttpClient _http;
    private readonly RegistryOptions _options;
    private readonly RegistryEndpoint _endpoint;
    private readonly Func<CancellationToken, Task<RegistryCredentials?>> _credentials;
    private AuthenticationHeaderValue? _authorization;
    private bool _authorizationTried;

    /// <summary>A session over <paramref name="http"/> for <paramref name="endpoint"/>.</summary>
    public RegistrySession(HttpClient http, RegistryOptions options, RegistryEndpoint endpoint, Func<CancellationToken, Task<RegistryCredentials?>> credentials)
    {
        _http = http;
        _options = options;
        _endpoint = endpoint;
        _credentials = credentials;
    }

    /// <summary>
    /// True for a session that pushes: its token is asked for <c>pull,push</c> on the repository, whatever scope
    /// the challenge names (a registry challenges a blob HEAD with a pull scope; a pull token would then be
    /// refused at the first upload).
    /// </summary>
    public bool Pushes { get; init; }

    /// <summary>
    /// GETs <paramref name="uri"/>, authenticating when challenged. Returns any answer but 401/403,
    /// 5xx and network failures, which throw <see cref="RegistryCheckException"/> once retries are spent.
    /// </summary>
    public Task<HttpResponseMessage> GetAsync(Uri uri, IReadOnlyList<string> accept, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Get, uri, accept, null, null, cancellationToken);

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="uri"/> as <see cref="GetAsync"/> does (authentication,
    /// retries, the same failures). <paramref name="content"/> makes the body afresh for each attempt (a file
    /// stream is opened again), so a retried upload sends the whole body again. <paramref name="timeout"/>
    /// replaces <see cref="RegistryOptions.Timeout"/> for a request that takes longer by nature (a large upload).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, IReadOnlyList<string> accept,
        Func<HttpContent>? content, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        HttpRequestMessage Create() => CreateRequest(method, uri, accept, content);
        var response = await SendWithRetriesAsync(Create, cancellationToken, timeout);
        if (response.StatusCode == HttpStatusCode.Unauthorized && !_authorizationTried)
        {
            var challenge = AuthChallenge.Select(response.Headers.WwwAuthenticate);
            response.Dispose();
            _authorizationTried = true;
            _authorization = await AuthorizeAsync(challenge, cancellationToken);
            response = await SendWithRetriesAsync(Create, cancellationToken, timeout);
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var code = (int)response.StatusCode;
            response.Dispose();
            throw new RegistryCheckException(_authorization is null
                ? $"the registry refused anonymous access (HTTP {code})"
                : $"the registry refused the credentials (HTTP {code})", authenticationFailed: true);
        }
        return response;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, IReadOnlyList<string> accept, Func<HttpContent>? content)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var type in accept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        request.Headers.Authorization = _authorization;
        if (content is not null) request.Content = content();
        return request;
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(AuthChallenge? challenge, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            throw new RegistryCheckException("the registry answered 401 without a Bearer or Basic challenge", authenticationFailed: true);
        }
        var credentials = await _credentials(cancellationToken);
        if (challenge.IsBasic)
        {
            if (credentials is null || credentials.IsIdentityToken)
            {
                throw new RegistryCheckException($"the registry asks for a user and password and none are configured for '{_endpoint.Host}'", authenticationFailed: true);
            }
            return new AuthenticationHeaderValue("Basic", credentials.ToBasicParameter());
        }
        return new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(challenge, credentials, cancellationToken));
    }

    private async Task<string> FetchTokenAsync(AuthChallenge challenge, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge["realm"], UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new RegistryCheckException("the registry's Bearer challenge has no valid realm");
        }
        if (credentials is not null && realm.Scheme == "http" && !RegistryEndpoint.IsLoopback(realm.Authority)
            && !_options.InsecureRegistries.Any(r => RegistryEndpoint.NormalizeHost(r) == RegistryEndpoint.NormalizeHost(realm.Authority)))
        {
            // Sending a password over plain HTTP to a host nobody declared insecure would leak it.
            throw new RegistryCheckException($"the token service '{realm.Authority}' is plain HTTP; list it in the insecure registries to send credentials there", authenticationFailed: true);
        }
        var service = challenge["service"];
        var scope = Pushes ? $"repository:{_endpoint.Repository}:pull,push" : challenge["scope"] ?? $"repository:{_endpoint.Repository}:pull";
        using var response = await SendWithRetriesAsync(() => CreateTokenRequest(realm, service, scope, credentials), cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryCheckException(credentials is null
                ? $"the token service refused anonymous access (HTTP {(int)response.StatusCode}); configure credentials for '{_endpoint.Host}'"
                : $"the token service refused the credentials (HTTP {(int)response.StatusCode})", authenticationFailed: true);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryCheckException($"the token service answered HTTP {(int)response.StatusCode}");
        }
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            foreach (var name in new[] { "token", "access_token" })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(name, out var token)
                    && token.ValueKind == JsonValueKind.String
                    && !string.IsNullOrEmpty(token.GetString()))
                {
                    return token.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Same answer as a JSON body without a token, below.
        }
        throw new RegistryCheckException("the token service answered without a 'token' or 'access_token'");
    }

    private static HttpRequestMessage CreateTokenRequest(Uri realm, string? service, string scope, RegistryCredentials? credentials)
    {
        if (credentials is { IsIdentityToken: true })
        {
            // An identity token is an OAuth2 refresh token: exchanged with a form POST (docker's own flow).
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = credentials.Secret,
                ["client_id"] = TokenClientId,
                ["scope"] = scope,
            };
            if (service is not null) form["service"] = service;
            return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }
        var query = new List<string>();
        if (service is not null) query.Add("service=" + Uri.EscapeDataString(service));
        query.Add("scope=" + Uri.EscapeDataString(scope));
        var builder = new UriBuilder(realm);
        builder.Query = string.Join('&', new[] { builder.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query));
        var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credentials is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.ToBasicParameter());
        return request;
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken, TimeSpan? timeoutOverride = null)
    {
        var attempts = Math.Max(0, _options.Retries) + 1;
        var lastFailure = "";
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                _options.OnRetry?.Invoke($"Registry request failed ({lastFailure}); retrying (attempt {attempt} of {attempts}).");
                await Task.Delay(BackOff(attempt), cancellationToken);
            }
            using var request = createRequest();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var limit = timeoutOverride ?? _options.Timeout;
            timeout.CancelAfter(limit);
            try
            {
                var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    lastFailure = $"{request.RequestUri!.Authority} answered HTTP {(int)response.StatusCode}";
                    response.Dispose();
                    continue;
                }
                return response;
            }
            catch (HttpRequestException e)
            {
                lastFailure = $"{request.RequestUri!.Authority}: {e.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastFailure = $"{request.RequestUri!.Authority} did not answer within {limit.TotalSeconds:0.#} s";
            }
        }
        throw new RegistryCheckException($"{lastFailure} ({attempts} attempt{(attempts == 1 ? "" : "s")})");
    }

    /// <summary>250 ms, 500 ms, 1 s, then 2 s at most: long enough for a restarting registry, short for a build.</summary>
    internal static TimeSpan BackOff(int attempt)
        => TimeSpan.FromMilliseconds(Math.Min(2000, 250 * Math.Pow(2, attempt - 2)));
}
