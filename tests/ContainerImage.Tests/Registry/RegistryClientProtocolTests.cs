using System.Net;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;
using Reply = ContainerImage.Tests.Infrastructure.ScriptedHttpServer.Reply;

namespace ContainerImage.Tests.Registry;

/// <summary>
/// The protocol paths a stock registry cannot show (token services, server errors, indexes with
/// attestations), against a scripted HTTP server on loopback.
/// </summary>
[TestClass]
public sealed class RegistryClientProtocolTests
{
    private const string IndexDigest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Index = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","size":1,"platform":{"os":"linux","architecture":"amd64"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":1,"platform":{"os":"unknown","architecture":"unknown"}}
        ]}
        """;

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A registry whose manifests need a Bearer token, which its realm gives for alice:wonder.</summary>
    private static Reply TokenRegistry(HttpListenerRequest request, int port, string tokenField)
    {
        var path = request.Url!.AbsolutePath;
        if (path == "/token")
        {
            var query = request.QueryString;
            if (query["service"] != "cimg-test" || query["scope"] != "repository:team/app:pull") return new Reply(400);
            return request.Headers["Authorization"] == "Basic " + Base64("alice:wonder")
                ? new Reply(200, $$$"""{"{{{tokenField}}}":"tok-123"}""", "application/json")
                : new Reply(401);
        }
        if (request.Headers["Authorization"] != "Bearer tok-123")
        {
            return new Reply(401, "", null, new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = $"Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"cimg-test\",scope=\"repository:team/app:pull\"",
            });
        }
        return path == "/v2/team/app/manifests/v1"
            ? new Reply(200, Index, "application/vnd.oci.image.index.v1+json", new Dictionary<string, string> { ["Docker-Content-Digest"] = IndexDigest })
            : new Reply(404);
    }

    private static (TempDirectory Folder, string ConfigPath) Config(string host, string user, string password)
    {
        var folder = new TempDirectory();
        var path = folder.Write("config.json", $$$"""{"auths":{"{{{host}}}":{"auth":"{{{Base64(user + ":" + password)}}}"} } }""");
        return (folder, path);
    }

    [TestMethod]
    [DataRow("token")]
    [DataRow("access_token")]
    public async Task TheBearerFlowFetchesATokenWithTheConfiguredCredentials(string tokenField)
    {
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => TokenRegistry(r, server!.Port, tokenField));
        using var _ = server;
        var (folder, config) = Config(server.Address, "alice", "wonder");
        using var __ = folder;
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });

        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
        Assert.AreEqual(IndexDigest, result.Digest);
        Assert.IsTrue(server.Requests.Any(r => r.PathAndQuery.StartsWith("/token") && r.Authorization == "Basic " + Base64("alice:wonder")));
    }

    [TestMethod]
    public async Task AnIndexLacksAPlatformEvenWithAnAttestationEntry()
    {
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => TokenRegistry(r, server!.Port, "token"));
        using var _ = server;
        var (folder, config) = Config(server.Address, "alice", "wonder");
        using var __ = folder;
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64, Platform.LinuxArm64]);
        Assert.AreEqual(ExistenceState.Missing, result.State);
        StringAssert.Contains(result.Detail, "linux/arm64");
    }

    [TestMethod]
    public async Task RefusedCredentialsAreUnknownWithAuthenticationFailed()
    {
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => TokenRegistry(r, server!.Port, "token"));
        using var _ = server;
        var (folder, config) = Config(server.Address, "alice", "wrong-password");
        using var __ = folder;
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Unknown, result.State);
        Assert.IsTrue(result.AuthenticationFailed);
        Assert.IsFalse(result.Detail!.Contains("wrong-password"));
    }

    [TestMethod]
    public async Task NoCredentialsForATokenServiceThatWantsThemIsUnknown()
    {
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r => TokenRegistry(r, server!.Port, "token"));
        using var _ = server;
        using var folder = new TempDirectory();
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = Path.Combine(folder.Path, "none.json") });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Unknown, result.State);
        Assert.IsTrue(result.AuthenticationFailed);
    }

    [TestMethod]
    public async Task ServerErrorsAreRetriedThenUnknown()
    {
        using var server = new ScriptedHttpServer(_ => new Reply(503));
        using var client = new RegistryClient(new RegistryOptions { Retries = 2 });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Unknown, result.State);
        Assert.IsFalse(result.AuthenticationFailed);
        Assert.AreEqual(3, server.Requests.Count);
        StringAssert.Contains(result.Detail, "503");
    }

    [TestMethod]
    public async Task AServerErrorFollowedBySuccessIsRetriedToAnAnswer()
    {
        var calls = 0;
        using var server = new ScriptedHttpServer(_ => Interlocked.Increment(ref calls) == 1
            ? new Reply(500)
            : new Reply(200, Index, "application/vnd.oci.image.index.v1+json"));
        using var client = new RegistryClient();
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
        // Without Docker-Content-Digest the digest is the SHA-256 of the bytes served.
        var expected = "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Index))).ToLowerInvariant();
        Assert.AreEqual(expected, result.Digest);
    }

    [TestMethod]
    public async Task ASlowRegistryTimesOutToUnknown()
    {
        using var server = new ScriptedHttpServer(_ =>
        {
            Thread.Sleep(1500);
            return new Reply(200, Index, "application/vnd.oci.image.index.v1+json");
        });
        using var client = new RegistryClient(new RegistryOptions { Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Unknown, result.State);
        StringAssert.Contains(result.Detail, "did not answer");
    }

    [TestMethod]
    public async Task NothingListeningIsUnknownNeverExists()
    {
        var port = FreePort.Next();
        using var client = new RegistryClient(new RegistryOptions { Retries = 1, Timeout = TimeSpan.FromSeconds(2) });
        var result = await client.CheckAsync($"127.0.0.1:{port}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Unknown, result.State);
        Assert.IsNull(result.Digest);
        StringAssert.Contains(result.Detail, $"127.0.0.1:{port}");
    }

    [TestMethod]
    public async Task ABasicChallengeIsAnsweredWithTheUserAndPassword()
    {
        using var server = new ScriptedHttpServer(r => r.Headers["Authorization"] == "Basic " + Base64("bob:builder")
            ? new Reply(200, Index, "application/vnd.oci.image.index.v1+json")
            : new Reply(401, "", null, new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"x\"" }));
        var (folder, config) = Config(server.Address, "bob", "builder");
        using var _ = folder;
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", []);
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
    }

    [TestMethod]
    public async Task AnIdentityTokenIsExchangedWithAFormPost()
    {
        ScriptedHttpServer? server = null;
        server = new ScriptedHttpServer(r =>
        {
            if (r.Url!.AbsolutePath == "/token")
            {
                return r.HttpMethod == "POST" ? new Reply(200, """{"access_token":"tok-123"}""", "application/json") : new Reply(405);
            }
            return r.Headers["Authorization"] == "Bearer tok-123"
                ? new Reply(200, Index, "application/vnd.oci.image.index.v1+json")
                : new Reply(401, "", null, new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"http://127.0.0.1:{server!.Port}/token\",service=\"s\"" });
        });
        using var _ = server;
        using var folder = new TempDirectory();
        var config = folder.Write("config.json", $$$"""{"auths":{"{{{server.Address}}}":{"identitytoken":"refresh-xyz"} } }""");
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config });
        var result = await client.CheckAsync($"{server.Address}/team/app:v1", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
        var post = server.Requests.Single(r => r.Method == "POST");
        StringAssert.Contains(post.Body, "grant_type=refresh_token");
        StringAssert.Contains(post.Body, "refresh_token=refresh-xyz");
        StringAssert.Contains(post.Body, "scope=repository%3Ateam%2Fapp%3Apull");
    }

    [TestMethod]
    public async Task AnInvalidReferenceIsCimg2004()
    {
        using var client = new RegistryClient();
        var error = await Assert.ThrowsExactlyAsync<ContainerImage.Diagnostics.ImageDefinitionException>(() => client.CheckAsync("Not A Reference", []));
        Assert.AreEqual(ContainerImage.Diagnostics.DiagnosticCodes.InvalidImageReference, error.Code);
    }
}
