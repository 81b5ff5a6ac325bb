using System.Net;
using System.Text.Json;
using ContainerImage.Diagnostics;

namespace ContainerImage.Registry;

/// <summary>
/// One repository being pushed to, through one authenticated session, with every failure turned into CIMG3111
/// naming the tag, the registry, the repository and what was refused (the HTTP status and the registry's own error).
/// </summary>
/// <param name="Tag">The tag being pushed, for messages.</param>
/// <param name="Endpoint">The repository.</param>
/// <param name="Session">The session (retries, authentication with a pull,push token).</param>
internal sealed record PushTarget(string Tag, RegistryEndpoint Endpoint, RegistrySession Session)
{
    private const int MaxErrorLength = 300;

    /// <summary><see cref="RegistrySession.SendAsync"/>, with a network, server or authentication failure as CIMG3111 about <paramref name="what"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, Func<HttpContent>? content, TimeSpan? timeout,
        string what, CancellationToken cancellationToken)
    {
        try
        {
            return await Session.SendAsync(method, uri, [], content, timeout, cancellationToken);
        }
        catch (RegistryCheckException e)
        {
            throw Failure($"{e.Message}, for {what}");
        }
    }

    /// <summary>Throws CIMG3111 unless <paramref name="response"/> has the status <paramref name="expected"/> (any 2xx when null).</summary>
    public async Task RequireAsync(HttpResponseMessage response, HttpStatusCode? expected, string what, CancellationToken cancellationToken)
    {
        if (expected is { } status ? response.StatusCode == status : response.IsSuccessStatusCode) return;
        var error = await RegistryErrorAsync(response, cancellationToken);
        throw Failure($"HTTP {(int)response.StatusCode} for {what}{(error.Length > 0 ? " (" + error + ")" : "")}");
    }

    /// <summary>CIMG3111 with <paramref name="detail"/>.</summary>
    public ImageDefinitionException Failure(string detail)
        => new(DiagnosticCodes.LayoutPushFailed, Tag, Endpoint.Host, Endpoint.Repository, detail);

    /// <summary>The registry's first error (<c>{"errors":[{"code":..,"message":..}]}</c>), shortened; empty when it sent none.</summary>
    private static async Task<string> RegistryErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0 && errors[0].ValueKind == JsonValueKind.Object)
            {
                var code = errors[0].TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = errors[0].TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                var text = string.Join(": ", new[] { code, message }.Where(t => !string.IsNullOrEmpty(t)));
                return text.Length > MaxErrorLength ? text[..MaxErrorLength] + "..." : text;
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or InvalidOperationException)
        {
            // A body that is not the registry error format: the status alone says what happened.
        }
        return "";
    }
}
