using System.Net;
using System.Security.Cryptography;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Registry;

/// <summary>
/// <see cref="RegistryClient.PushLayoutAsync"/> against the real registry at 127.0.0.1:5000, with layouts the
/// test writes to unique repositories: the registry's digest is the layout's, blobs it has are not sent again,
/// tags in other repositories and multi-platform indexes arrive whole.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class LayoutPushEngineTests
{
    private const string Registry = "127.0.0.1:5000";

    [TestMethod]
    public async Task ThePushedManifestHasTheLayoutsDigestAndASecondPushSendsNoBlob()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var manifest = layout.Manifest("amd64", layout.RandomLayer(300_000), layout.RandomLayer(2_000));
        layout.Top(manifest);
        var tag = $"{Registry}/{Engine.UniqueRepository("layoutpush")}:v1";
        using var client = new RegistryClient();
        var lines = new List<string>();

        var first = await client.PushLayoutAsync(OciLayout.Read(folder.Path, tag), [tag], lines.Add);
        var second = await client.PushLayoutAsync(OciLayout.Read(folder.Path, tag), [tag], lines.Add);

        Assert.AreEqual(manifest.Digest, first.Digest);
        Assert.AreEqual((3, 0), (first.BlobsUploaded, first.BlobsPresent));
        Assert.AreEqual((0, 3), (second.BlobsUploaded, second.BlobsPresent));
        Assert.AreEqual(0, second.BytesUploaded);
        Assert.AreEqual(manifest.Digest, await StoredDigestAsync(tag, LayoutWriter.OciManifest));
        Assert.IsTrue(lines.Any(l => l.StartsWith("pushed 3 of 3 blobs (", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith("pushed 0 of 3 blobs (0 B), 3 already in " + Registry, StringComparison.Ordinal)), string.Join("\n", lines));
    }

    [TestMethod]
    public async Task ATagInASecondRepositoryGetsItsOwnBlobsAndTheSameDigest()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var manifest = layout.Manifest("amd64", layout.RandomLayer(10_000));
        layout.Top(manifest, manifest);
        var first = $"{Registry}/{Engine.UniqueRepository("layoutpush")}:v1";
        var latest = first[..first.LastIndexOf(':')] + ":latest";
        var other = $"{Registry}/{Engine.UniqueRepository("layoutpush")}:release";
        using var client = new RegistryClient();

        var result = await client.PushLayoutAsync(OciLayout.Read(folder.Path, first), [first, latest, other], _ => { });

        // Each repository needs the config and the layer: 2 + 2 uploads.
        Assert.AreEqual((4, 0), (result.BlobsUploaded, result.BlobsPresent));
        foreach (var tag in new[] { first, latest, other })
        {
            Assert.AreEqual(manifest.Digest, await StoredDigestAsync(tag, LayoutWriter.OciManifest), tag);
        }
    }

    [TestMethod]
    public async Task AMultiPlatformIndexArrivesWithItsManifests()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var shared = layout.RandomLayer(5_000);
        var amd64 = layout.Manifest("amd64", shared);
        var arm64 = layout.Manifest("arm64", shared, layout.RandomLayer(1_000));
        var index = layout.Index([amd64, arm64], ["amd64", "arm64"]);
        layout.Top(index);
        var tag = $"{Registry}/{Engine.UniqueRepository("layoutpush")}:multi";
        using var client = new RegistryClient();

        var result = await client.PushLayoutAsync(OciLayout.Read(folder.Path, tag), [tag], _ => { });

        Assert.AreEqual(index.Digest, result.Digest);
        Assert.AreEqual(index.Digest, await StoredDigestAsync(tag, LayoutWriter.OciIndex));
        var repository = tag[..tag.LastIndexOf(':')];
        Assert.AreEqual(arm64.Digest, await StoredDigestAsync($"{repository}@{arm64.Digest}", LayoutWriter.OciManifest));
        // The registry's own answer for the platforms: the existence check reads the pushed index.
        var exists = await client.CheckAsync(tag, [ContainerImage.Model.Platform.LinuxAmd64, ContainerImage.Model.Platform.Parse("linux/arm64")]);
        Assert.AreEqual(ExistenceState.Exists, exists.State, exists.Detail);
    }

    /// <summary>The digest of the bytes the registry serves for <paramref name="reference"/> (computed, not its header).</summary>
    private static async Task<string> StoredDigestAsync(string reference, string mediaType)
    {
        var (repository, tagOrDigest) = reference.Contains('@')
            ? (reference[(Registry.Length + 1)..reference.IndexOf('@')], reference[(reference.IndexOf('@') + 1)..])
            : (reference[(Registry.Length + 1)..reference.LastIndexOf(':')], reference[(reference.LastIndexOf(':') + 1)..]);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Registry}/v2/{repository}/manifests/{tagOrDigest}");
        request.Headers.Accept.ParseAdd(mediaType);
        using var response = await http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, reference);
        Assert.AreEqual(mediaType, response.Content.Headers.ContentType?.MediaType);
        return "sha256:" + Convert.ToHexString(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())).ToLowerInvariant();
    }
}
