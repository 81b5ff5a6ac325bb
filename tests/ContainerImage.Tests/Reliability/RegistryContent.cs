using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Reads a repository of the test registry over the distribution API, independently of the product's
/// RegistryClient: its tags, and whether a tag's manifest is whole (its bytes hash to the digest the
/// registry reports, and every manifest and blob it names is there).
/// </summary>
internal static class RegistryContent
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The repository's tags, sorted.</summary>
    public static async Task<string[]> TagsAsync(string registry, string repository)
    {
        using var tags = JsonDocument.Parse(await Http.GetStringAsync($"http://{registry}/v2/{repository}/tags/list"));
        return [.. tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The digest of <paramref name="reference"/> (a tag or digest), after checking the manifest's bytes hash to it
    /// and, recursively, that every child manifest, config and layer blob it names can be fetched.
    /// </summary>
    public static async Task<string> VerifiedDigestAsync(string registry, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await Http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, $"{repository}:{reference} is in the registry");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var reported))
        {
            Assert.AreEqual(digest, reported.Single(), "the registry's digest is the hash of the manifest it serves");
        }
        using var manifest = JsonDocument.Parse(bytes);
        if (manifest.RootElement.TryGetProperty("manifests", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                var childDigest = child.GetProperty("digest").GetString()!;
                Assert.AreEqual(childDigest, await VerifiedDigestAsync(registry, repository, childDigest));
            }
            return digest;
        }
        var blobs = manifest.RootElement.GetProperty("layers").EnumerateArray().Append(manifest.RootElement.GetProperty("config"));
        foreach (var blob in blobs)
        {
            var blobDigest = blob.GetProperty("digest").GetString()!;
            using var head = new HttpRequestMessage(HttpMethod.Head, $"http://{registry}/v2/{repository}/blobs/{blobDigest}");
            using var found = await Http.SendAsync(head);
            Assert.AreEqual(HttpStatusCode.OK, found.StatusCode, $"blob {blobDigest} of {repository}@{digest} is in the registry");
            Assert.AreEqual(blob.GetProperty("size").GetInt64(), found.Content.Headers.ContentLength, $"blob {blobDigest} has the size its manifest says");
        }
        return digest;
    }
}
