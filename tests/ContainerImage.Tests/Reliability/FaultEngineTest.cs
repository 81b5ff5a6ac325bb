using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ContainerImage.Tests.EndToEnd;
using E2EEngine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Base of the fault tests: publishes a testassets/ project through MSBuild with the packed SDK and the
/// real engine, and checks what a fault must never leave behind: a false "up to date", or a
/// publish.json that vouches for an image that was not published.
/// </summary>
public abstract class FaultEngineTest : EndToEndTest
{
    private const string UpToDate = "is up to date in its registry";

    /// <summary>A repository name unique to this run, e.g. <c>cimg-faults/500-1a2b3c4d5e</c>.</summary>
    internal static string UniqueName(string what) => $"cimg-faults/{what}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Runs <c>dotnet publish -t:PublishContainerImage</c> with <paramref name="properties"/> (-p: pairs), timed.</summary>
    internal static (ProcessResult Result, TimeSpan Elapsed) Publish(TestProject project, IReadOnlyDictionary<string, string>? environment, params string[] properties)
    {
        var clock = Stopwatch.StartNew();
        var result = project.DotnetWithEnvironment(environment ?? E2EEngine.ChildEnvironment,
            ["publish", "-t:PublishContainerImage", "-p:ImageNetwork=host", .. properties.Select(p => "-p:" + p)]);
        return (result, clock.Elapsed);
    }

    /// <summary>The digest of the "Published uri (digest)." line, or null.</summary>
    internal static string? PublishedDigest(string output)
        => Regex.Match(output, @"Published \S+ \((sha256:[0-9a-f]{64})\)\.") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The URI of the "Published uri (digest)." line.</summary>
    internal static string PublishedUri(string output)
        => Regex.Match(output, @"Published (\S+) \(sha256:") is { Success: true } m ? m.Groups[1].Value : throw new AssertFailedException("no 'Published' line:\n" + output);

    /// <summary>Asserts the run never claimed the image was up to date.</summary>
    internal static void AssertNotUpToDate(ProcessResult result, string when)
        => Assert.IsFalse(result.Output.Contains(UpToDate, StringComparison.Ordinal), $"{when}: a failed check must never count as 'up to date'\n{result.Output}");

    /// <summary>Asserts the run said the image was up to date.</summary>
    internal static void AssertUpToDate(ProcessResult result, string when)
        => StringAssert.Contains(result.Output, UpToDate, $"{when}: the image exists, the check worked");

    /// <summary>Asserts obj/ records nothing as published for <paramref name="name"/>.</summary>
    internal static void AssertNothingRecorded(TestProject project, string name, string when)
        => Assert.IsFalse(File.Exists(project.ImageFile(name, "publish.json")), $"{when}: publish.json must not vouch for an image that was not published");

    /// <summary>Asserts obj/ holds no temporary file of an interrupted write.</summary>
    internal static void AssertNoTemporaryFiles(string folder, string when)
    {
        if (!Directory.Exists(folder)) return;
        var leftovers = Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories);
        Assert.AreEqual(0, leftovers.Length, $"{when}: half-written files left: {string.Join(", ", leftovers)}");
    }

    /// <summary>The digest the real registry (127.0.0.1:5000, not the proxy) holds for <paramref name="uri"/>'s repository and tag.</summary>
    internal static string? RegistryDigest(string uri)
    {
        var slash = uri.IndexOf('/', StringComparison.Ordinal);
        var colon = uri.LastIndexOf(':');
        var repository = uri[(slash + 1)..colon];
        var tag = uri[(colon + 1)..];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Infrastructure.Engine.RegistryAddress}/v2/{repository}/manifests/{tag}");
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                     "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json" })
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var response = http.Send(request);
        return response.IsSuccessStatusCode && response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : null;
    }
}
