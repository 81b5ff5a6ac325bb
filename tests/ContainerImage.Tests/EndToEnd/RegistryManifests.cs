using System.Net.Http.Headers;
using System.Text.Json;
using ContainerImage.Model;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// Reads and rewrites manifests of the local (plain HTTP) registry directly, the way a person would
/// with curl: what the registry really holds, not what our own client reports.
/// </summary>
internal static class RegistryManifests
{
    /// <summary>The OCI index and Docker manifest list media types.</summary>
    public static readonly string[] IndexTypes =
        ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

    private static readonly string[] AllTypes =
        [.. IndexTypes, "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];

    /// <summary>One manifest as the registry serves it.</summary>
    /// <param name="MediaType">Its Content-Type.</param>
    /// <param name="Digest">Its Docker-Content-Digest.</param>
    /// <param name="Body">Its exact bytes.</param>
    public sealed record Manifest(string MediaType, string Digest, byte[] Body)
    {
        /// <summary>True for an index (manifest list).</summary>
        public bool IsIndex => IndexTypes.Contains(MediaType);

        /// <summary>An index's entries as (platform "os/arch[/variant]", digest, media type).</summary>
        public IReadOnlyList<(string Platform, string Digest, string MediaType)> Entries()
        {
            using var document = JsonDocument.Parse(Body);
            return [.. document.RootElement.GetProperty("manifests").EnumerateArray().Select(m =>
            {
                var p = m.GetProperty("platform");
                var platform = $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}"
                               + (p.TryGetProperty("variant", out var v) ? "/" + v.GetString() : "");
                return (platform, m.GetProperty("digest").GetString()!, m.GetProperty("mediaType").GetString()!);
            })];
        }
    }

    /// <summary>GETs <paramref name="uri"/>'s manifest (or the manifest <paramref name="reference"/> of its repository).</summary>
    public static Manifest? Get(string uri, string? reference = null)
    {
        var image = ImageReference.Parse(uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, ManifestUrl(image, reference ?? image.Tag!));
        foreach (var type in AllTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = http.Send(request);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        Assert.IsTrue(response.IsSuccessStatusCode, $"GET manifest of {uri} answered {(int)response.StatusCode}");
        return new Manifest(response.Content.Headers.ContentType!.MediaType!, response.Headers.GetValues("Docker-Content-Digest").Single(),
            response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
    }

    /// <summary>PUTs <paramref name="manifest"/> under <paramref name="uri"/>'s tag (its blobs must be in the repository already).</summary>
    public static void PutUnderTag(string uri, Manifest manifest)
    {
        var image = ImageReference.Parse(uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var content = new ByteArrayContent(manifest.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Put, ManifestUrl(image, image.Tag!)) { Content = content });
        Assert.IsTrue(response.IsSuccessStatusCode, $"PUT manifest of {uri} answered {(int)response.StatusCode}");
    }

    /// <summary>DELETEs the manifest <paramref name="digest"/> from <paramref name="uri"/>'s repository (and so every tag on it there).</summary>
    public static void Delete(string uri, string digest)
    {
        var image = ImageReference.Parse(uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Delete, ManifestUrl(image, digest)));
        Assert.IsTrue(response.IsSuccessStatusCode, $"DELETE manifest {digest} of {uri} answered {(int)response.StatusCode}");
    }

    private static string ManifestUrl(ImageReference image, string reference)
        => $"http://{image.Registry}/v2/{image.Repository}/manifests/{reference}";
}
