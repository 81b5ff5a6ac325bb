using System.Net.Http.Headers;
using System.Text.Json;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.MultiArch;

/// <summary>
/// <c>linux/amd64;linux/arm64</c> gives one index in the registry, checked platform by platform, and
/// each platform's image holds what its own RUN step produced (arm64 under emulation).
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class MultiArchEngineTests
{
    private static readonly string[] IndexTypes =
        ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

    private static readonly string[] AllManifestTypes =
        [.. IndexTypes, "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];

    private static readonly List<string> PulledUris = [];

    [TestInitialize]
    public Task RequireMultiArchEngine() => MultiArchEngine.RequireAsync();

    [ClassCleanup]
    public static async Task RemovePulledImages()
    {
        // Other users share the engine: leave nothing of ours in its image store.
        string[] uris;
        lock (PulledUris) uris = [.. PulledUris.Distinct()];
        foreach (var uri in uris) await MultiArchEngine.DockerAsync("image", "rm", "--force", uri);
    }

    [TestMethod]
    public async Task TheRegistryHoldsOneIndexListingExactlyAmd64AndArm64()
    {
        var build = await MultiArchBuild.GetAsync();
        using var response = await GetManifestAsync(build.Uri, HttpMethod.Get, AllManifestTypes);
        Assert.IsTrue(response.IsSuccessStatusCode, $"GET manifest answered {(int)response.StatusCode}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        CollectionAssert.Contains(IndexTypes, root.GetProperty("mediaType").GetString(), "a multi-platform push is an index");

        var platforms = root.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("platform"))
            .Select(p => $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}"
                         + (p.TryGetProperty("variant", out var v) ? "/" + v.GetString() : ""))
            .Order(StringComparer.Ordinal)
            .ToList();
        // Exactly these two: no unknown/unknown attestation entries (provenance is off by default).
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64" }, platforms, string.Join(", ", platforms));
    }

    [TestMethod]
    public async Task TheBuildDigestIsTheRegistrysIndexDigest()
    {
        var build = await MultiArchBuild.GetAsync();
        using var response = await GetManifestAsync(build.Uri, HttpMethod.Head, AllManifestTypes);
        Assert.IsTrue(response.IsSuccessStatusCode, $"HEAD manifest answered {(int)response.StatusCode}");
        var type = response.Content.Headers.ContentType?.MediaType;
        Assert.IsTrue(type is not null && IndexTypes.Contains(type), $"the tag must resolve to an index, not '{type}'");
        Assert.AreEqual(response.Headers.GetValues("Docker-Content-Digest").Single(), build.Result.Digest);
    }

    [TestMethod]
    [DataRow("linux/amd64", DisplayName = "amd64")]
    [DataRow("linux/arm64", DisplayName = "arm64")]
    [DataRow("linux/amd64;linux/arm64", DisplayName = "amd64 + arm64")]
    [DataRow("linux/arm64/v8", DisplayName = "arm64/v8 (the default arm64 variant)")]
    public async Task EachPlatformTheBuildHadExists(string platforms)
    {
        var build = await MultiArchBuild.GetAsync();
        using var client = new RegistryClient();
        var result = await client.CheckAsync(build.Uri, ParsePlatforms(platforms));
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
        Assert.AreEqual(build.Result.Digest, result.Digest, "an existing index is reported with its own digest");
    }

    [TestMethod]
    [DataRow("linux/s390x", DisplayName = "s390x")]
    [DataRow("linux/amd64;linux/s390x", DisplayName = "amd64 + s390x")]
    [DataRow("linux/arm/v7", DisplayName = "arm/v7")]
    public async Task APlatformTheBuildLacksIsMissing(string platforms)
    {
        var build = await MultiArchBuild.GetAsync();
        using var client = new RegistryClient();
        var result = await client.CheckAsync(build.Uri, ParsePlatforms(platforms));
        Assert.AreEqual(ExistenceState.Missing, result.State, result.Detail);
        Assert.IsNull(result.Digest);
        var lacking = ParsePlatforms(platforms).Last().ToString();
        StringAssert.Contains(result.Detail, lacking, "the detail names the missing platform");
    }

    [TestMethod]
    [DataRow("linux/amd64", "x86_64")]
    [DataRow("linux/arm64", "aarch64")]
    public async Task EachPlatformsImageHoldsWhatItsOwnRunStepWrote(string platform, string machine)
    {
        var build = await MultiArchBuild.GetAsync();
        lock (PulledUris) PulledUris.Add(build.Uri);
        var pull = await MultiArchEngine.DockerAsync("pull", "-q", "--platform", platform, build.Uri);
        Assert.AreEqual(0, pull.ExitCode, $"docker pull --platform {platform}: {pull.Error}");

        var run = await MultiArchEngine.DockerAsync("run", "--rm", "--pull=never", "--network=none", "--platform", platform,
            build.Uri, "cat", MultiArchBuild.ArchFile);
        Assert.AreEqual(0, run.ExitCode, $"docker run --platform {platform}: {run.Error}");
        Assert.AreEqual(machine, run.Output.Trim(), $"the {platform} RUN step ran on '{run.Output.Trim()}'");
    }

    private static IReadOnlyList<Platform> ParsePlatforms(string list) => [.. list.Split(';').Select(Platform.Parse)];

    private static async Task<HttpResponseMessage> GetManifestAsync(string uri, HttpMethod method, IEnumerable<string> accept)
    {
        var reference = ImageReference.Parse(uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(method, $"http://{reference.Registry}/v2/{reference.Repository}/manifests/{reference.Tag}");
        foreach (var type in accept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
