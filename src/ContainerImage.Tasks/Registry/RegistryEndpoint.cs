using System.Net;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>
/// Where a reference's manifest lives: the API base address, the repository path and the tag or
/// digest, plus the names its credentials are stored under.
/// </summary>
/// <param name="Host">The registry host[:port] as written (Docker Hub: <c>docker.io</c>).</param>
/// <param name="BaseUri">The API root, e.g. <c>http://127.0.0.1:5000/</c>.</param>
/// <param name="Repository">The repository path, with <c>library/</c> for Docker Hub short names.</param>
/// <param name="Reference">The tag or digest.</param>
/// <param name="CredentialKey">The key docker config files and credential helpers use for this registry.</param>
internal sealed record RegistryEndpoint(string Host, Uri BaseUri, string Repository, string Reference, string CredentialKey)
{
    /// <summary>The host docker uses for Docker Hub's API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>The key docker uses for Docker Hub credentials.</summary>
    public const string DockerHubCredentialKey = "https://index.docker.io/v1/";

    /// <summary>The manifest address.</summary>
    public Uri ManifestUri => new(BaseUri, $"v2/{Repository}/manifests/{Reference}");

    /// <summary>A blob's address.</summary>
    public Uri BlobUri(string digest) => new(BaseUri, $"v2/{Repository}/blobs/{digest}");

    /// <summary>Resolves <paramref name="reference"/> with Docker's rules for short names and insecure hosts.</summary>
    public static RegistryEndpoint For(ImageReference reference, IReadOnlyList<string> insecureRegistries)
    {
        var host = reference.Registry ?? "docker.io";
        var repository = reference.Repository;
        var isDockerHub = IsDockerHub(host);
        if (isDockerHub && !repository.Contains('/'))
        {
            // Docker Hub's official images live under library/, which short names leave out.
            repository = "library/" + repository;
        }
        var apiHost = isDockerHub ? DockerHubApiHost : host;
        var scheme = IsLoopback(host) || insecureRegistries.Any(r => SameHost(r, host)) ? "http" : "https";
        return new RegistryEndpoint(
            host,
            new Uri($"{scheme}://{apiHost}/"),
            repository,
            reference.Digest ?? reference.Tag ?? "latest",
            isDockerHub ? DockerHubCredentialKey : host);
    }

    /// <summary>True for the names Docker Hub goes by.</summary>
    public static bool IsDockerHub(string host)
        => host is "docker.io" or "index.docker.io" or DockerHubApiHost;

    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and <c>[::1]</c>, with or without a port.</summary>
    public static bool IsLoopback(string host)
    {
        var name = StripPort(host);
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// The host[:port] of a docker-config key or an insecure-registry entry, which may carry a scheme
    /// and a path (<c>https://index.docker.io/v1/</c>); Docker Hub's aliases all become <c>docker.io</c>.
    /// </summary>
    public static string NormalizeHost(string value)
    {
        var text = value.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0) text = text[(schemeEnd + 3)..];
        var slash = text.IndexOf('/');
        if (slash >= 0) text = text[..slash];
        text = text.ToLowerInvariant();
        return IsDockerHub(text) ? "docker.io" : text;
    }

    private static bool SameHost(string a, string b) => NormalizeHost(a) == NormalizeHost(b);

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close > 0 ? host[..(close + 1)] : host;
        }
        var colon = host.LastIndexOf(':');
        return colon > 0 ? host[..colon] : host;
    }
}
