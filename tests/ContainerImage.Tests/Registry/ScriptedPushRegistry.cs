using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ContainerImage.Tests.Infrastructure;
using Reply = ContainerImage.Tests.Infrastructure.ScriptedHttpServer.Reply;

namespace ContainerImage.Tests.Registry;

/// <summary>A registry for team/app behind a Bearer token service; what it holds, and how many blob PUTs failed on purpose.</summary>
internal sealed class ScriptedPushRegistry
{
    public ConcurrentDictionary<string, bool> Blobs { get; } = new();
    public int FailingPuts { get; set; }
    public Func<string, Reply>? OnManifest { get; set; }
    public List<string> TokenScopes { get; } = [];
    /// <summary>How long each blob HEAD takes to answer (a slow registry, to cancel a push in flight).</summary>
    public TimeSpan HeadDelay { get; set; }

    public Reply Handle(HttpListenerRequest request, int port)
    {
        var path = request.Url!.AbsolutePath;
        if (path == "/token")
        {
            TokenScopes.Add(request.QueryString["scope"] ?? "");
            return request.Headers["Authorization"] == "Basic " + Base64("alice:wonder")
                ? new Reply(200, """{"token":"tok-push"}""", "application/json")
                : new Reply(401);
        }
        if (request.Headers["Authorization"] != "Bearer tok-push")
        {
            return new Reply(401, "", null, new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = $"Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"cimg-test\",scope=\"repository:team/app:pull\"",
            });
        }
        const string blobs = "/v2/team/app/blobs/";
        if (request.HttpMethod == "HEAD" && path.StartsWith(blobs, StringComparison.Ordinal))
        {
            if (HeadDelay > TimeSpan.Zero) Thread.Sleep(HeadDelay);
            return new Reply(Blobs.ContainsKey(path[blobs.Length..]) ? 200 : 404);
        }
        if (request.HttpMethod == "POST" && path == blobs + "uploads/")
        {
            // Relative, with an upload state in its query that the PUT must keep.
            return new Reply(202, "", null, new Dictionary<string, string> { ["Location"] = "/v2/team/app/blobs/uploads/u1?state=s%2B1" });
        }
        if (request.HttpMethod == "PUT" && path == blobs + "uploads/u1")
        {
            if (request.QueryString["state"] != "s+1") return new Reply(400);
            if (FailingPuts-- > 0) return new Reply(500);
            Blobs[request.QueryString["digest"]!] = true;
            return new Reply(201);
        }
        if (request.HttpMethod == "PUT" && path.StartsWith("/v2/team/app/manifests/", StringComparison.Ordinal) && OnManifest is not null)
        {
            return OnManifest(path["/v2/team/app/manifests/".Length..]);
        }
        return new Reply(404);
    }

    /// <summary>A docker config folder with alice:wonder for <paramref name="host"/>.</summary>
    public static (TempDirectory Folder, string ConfigPath) Config(string host)
    {
        var folder = new TempDirectory();
        return (folder, folder.Write("config.json", $$$"""{"auths":{"{{{host}}}":{"auth":"{{{Base64("alice:wonder")}}}"} } }"""));
    }

    /// <summary>A manifest answer: 201 and this digest as the stored one.</summary>
    public static Func<string, Reply> StoredAs(string digest) => _ => new Reply(201, "", null, new Dictionary<string, string> { ["Docker-Content-Digest"] = digest });

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
