using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;
using Reply = ContainerImage.Tests.Infrastructure.ScriptedHttpServer.Reply;

namespace ContainerImage.Tests.Registry;

/// <summary>
/// The push's protocol paths a stock registry cannot show, against a scripted registry on loopback: a token
/// asked with the push scope, a relative upload Location with its own query, a transient 500 on an upload that
/// is retried with the whole blob, and refusals reported with registry, repository and HTTP status.
/// </summary>
[TestClass]
public sealed class LayoutPushProtocolTests
{
    private static (TempDirectory Folder, string ConfigPath) Config(string host) => ScriptedPushRegistry.Config(host);

    private static (TempDirectory Folder, OciDescriptor Manifest, OciDescriptor Layer) Layout()
    {
        var folder = new TempDirectory();
        var writer = new LayoutWriter(folder.Path);
        var layer = writer.Blob(Encoding.UTF8.GetBytes(new string('x', 50_000)), LayoutWriter.Layer);
        var manifest = writer.Manifest("amd64", layer);
        writer.Top(manifest);
        return (folder, manifest, layer);
    }

    private static (TempDirectory Folder, string ConfigPath) NoCredentials()
    {
        var folder = new TempDirectory();
        return (folder, folder.Write("config.json", "{}"));
    }

    private static Func<string, Reply> StoredAs(string digest) => ScriptedPushRegistry.StoredAs(digest);

    [TestMethod]
    public async Task TheTokenIsAskedWithThePushScopeAndAFailedUploadIsSentAgainWhole()
    {
        var registry = new ScriptedPushRegistry { FailingPuts = 1 };
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => registry.Handle(r, server!.Port));
        using var _ = server;
        var (configFolder, config) = Config(server.Address);
        using var __ = configFolder;
        var (layoutFolder, manifest, layer) = Layout();
        using var ___ = layoutFolder;
        registry.OnManifest = StoredAs(manifest.Digest);
        var retries = new List<string>();
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config, OnRetry = retries.Add });

        var result = await client.PushLayoutAsync(OciLayout.Read(layoutFolder.Path, "app"), [$"{server.Address}/team/app:v1"], _ => { });

        Assert.AreEqual(manifest.Digest, result.Digest);
        Assert.AreEqual(2, result.BlobsUploaded);
        CollectionAssert.AreEqual(new[] { "repository:team/app:pull,push" }, registry.TokenScopes);
        Assert.IsTrue(registry.Blobs.ContainsKey(layer.Digest));
        Assert.AreEqual(1, retries.Count, string.Join("\n", retries));
        StringAssert.Contains(retries[0], "HTTP 500");
        var layerPuts = server.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains(Uri.EscapeDataString(layer.Digest), StringComparison.Ordinal)).ToList();
        Assert.IsTrue(layerPuts.Count is 1 or 2, $"{layerPuts.Count} PUTs of the layer");
        Assert.IsTrue(layerPuts.All(p => p.Body.Length == 50_000), "every attempt sent the whole blob");
        Assert.IsTrue(server.Requests.Any(r => r.Method == "PUT" && r.PathAndQuery == "/v2/team/app/manifests/v1"));
    }

    [TestMethod]
    public async Task ARefusedManifestNamesRegistryRepositoryAndStatus()
    {
        var (error, address) = await RefusedPushAsync(new ScriptedPushRegistry
        {
            OnManifest = _ => new Reply(400, """{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}""", "application/json"),
        });

        Assert.AreEqual(DiagnosticCodes.LayoutPushFailed, error.Code);
        StringAssert.Contains(error.Message, address);
        StringAssert.Contains(error.Message, "'team/app'");
        StringAssert.Contains(error.Message, "HTTP 400");
        StringAssert.Contains(error.Message, "MANIFEST_INVALID");
    }

    [TestMethod]
    public async Task AManifestAnsweredDigestInvalidWhileAnotherClientStoresItIsSentAgain()
    {
        const string digestInvalid = """{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}""";
        var registry = new ScriptedPushRegistry();
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => registry.Handle(r, server!.Port));
        using var _ = server;
        var (configFolder, config) = Config(server.Address);
        using var __ = configFolder;
        var (layoutFolder, manifest, _) = Layout();
        using var ___ = layoutFolder;
        var answers = 0;
        registry.OnManifest = body => Interlocked.Increment(ref answers) == 1
            ? new Reply(400, digestInvalid, "application/json")
            : StoredAs(manifest.Digest)(body);
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });

        var result = await client.PushLayoutAsync(OciLayout.Read(layoutFolder.Path, "app"), [$"{server.Address}/team/app:v1"], _ => { });

        Assert.AreEqual(manifest.Digest, result.Digest);
        Assert.AreEqual(2, server.Requests.Count(r => r.Method == "PUT" && r.PathAndQuery == "/v2/team/app/manifests/v1"));

        // A registry that keeps answering so is refused after a few attempts, with its own words.
        var (error, _) = await RefusedPushAsync(new ScriptedPushRegistry { OnManifest = _ => new Reply(400, digestInvalid, "application/json") });
        Assert.AreEqual(DiagnosticCodes.LayoutPushFailed, error.Code);
        StringAssert.Contains(error.Message, "DIGEST_INVALID");
    }

    [TestMethod]
    public async Task ARegistryThatStoresAnotherDigestIsCoded()
    {
        var (error, _) = await RefusedPushAsync(new ScriptedPushRegistry { OnManifest = StoredAs("sha256:" + new string('e', 64)) });

        Assert.AreEqual(DiagnosticCodes.PushedDigestMismatch, error.Code);
    }

    [TestMethod]
    public async Task WithoutCredentialsTheRefusalIsCodedNotThrownRaw()
    {
        var (error, _) = await RefusedPushAsync(new ScriptedPushRegistry(), withCredentials: false);

        Assert.AreEqual(DiagnosticCodes.LayoutPushFailed, error.Code);
        StringAssert.Contains(error.Message, "HTTP 401");
    }

    /// <summary>Pushes a one-layer layout to <paramref name="registry"/> and returns the coded refusal and the registry's address.</summary>
    private static async Task<(ImageDefinitionException Error, string Address)> RefusedPushAsync(ScriptedPushRegistry registry, bool withCredentials = true)
    {
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => registry.Handle(r, server!.Port));
        using var _ = server;
        var (configFolder, config) = withCredentials ? Config(server.Address) : NoCredentials();
        using var __ = configFolder;
        var (layoutFolder, _, _) = Layout();
        using var ___ = layoutFolder;
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });

        var error = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(
            () => client.PushLayoutAsync(OciLayout.Read(layoutFolder.Path, "app"), [$"{server.Address}/team/app:v1"], _ => { }));
        return (error, server.Address);
    }

    [TestMethod]
    [DataRow("http://r.example/v2/a/blobs/uploads/u?_state=x", "http://r.example/v2/a/blobs/uploads/u?_state=x&digest=sha256%3A")]
    [DataRow("http://r.example/v2/a/blobs/uploads/u", "http://r.example/v2/a/blobs/uploads/u?digest=sha256%3A")]
    public void TheDigestIsAddedToTheUploadLocationsQuery(string location, string expectedStart)
    {
        var digest = "sha256:" + new string('a', 64);
        Assert.AreEqual(expectedStart + new string('a', 64), RegistryClient.WithDigest(new Uri(location), digest).AbsoluteUri);
    }
}
