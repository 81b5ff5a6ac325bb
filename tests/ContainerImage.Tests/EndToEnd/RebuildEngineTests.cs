using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>What a second publish does: nothing when nothing changed, and only the layers after a change when a file changed.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed partial class RebuildEngineTests : EndToEndTest
{
    [TestMethod]
    public async Task AnUnchangedPublishLeavesTheRegistryAloneAndAChangedFileRebuildsOnlyWhatFollowsIt()
    {
        Engine.Require();
        var project = Copy("layered");
        var name = "cimg-e2e/layered-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:n"];

        Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        var firstUri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        var firstDigest = await ManifestDigestAsync(firstUri);
        Assert.IsNotNull(firstDigest, "the first publish pushed the manifest");

        var unchanged = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        StringAssert.Contains(unchanged.Output, firstUri + " is up to date in its registry");
        Assert.IsFalse(unchanged.Output.Contains("Building " + firstUri, StringComparison.Ordinal), "no buildx for an unchanged image");
        Assert.AreEqual(firstDigest, await ManifestDigestAsync(firstUri), "the registry's manifest is untouched");

        // Unique text: the engine's build cache is shared by every run of this test, and a fixed "second version"
        // built by an earlier run would make the step after the COPY a legitimate cache hit.
        File.WriteAllText(Path.Combine(project.Directory, "app", "main.txt"), "second version " + Guid.NewGuid().ToString("N") + "\n");
        var changed = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        var secondUri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        Assert.AreNotEqual(firstUri, secondUri, "a changed source file gives a new tag");
        StringAssert.Contains(changed.Output, "Building " + secondUri);
        Assert.IsTrue(IsCached(changed.Output, "echo step-before"), "the RUN before the source folder comes from the cache:\n" + changed.Output);
        Assert.IsFalse(IsCached(changed.Output, "cat /app/*.txt"), "the RUN after the source folder runs again:\n" + changed.Output);
        Assert.AreEqual(firstDigest, await ManifestDigestAsync(firstUri), "the old tag is still there, unchanged");

        try
        {
            Assert.AreEqual(0, Engine.Docker("pull", secondUri).ExitCode);
            var run = Engine.Docker("run", "--rm", "--pull=never", secondUri, "cat", "/after.txt");
            Assert.AreEqual(0, run.ExitCode, run.Output);
            StringAssert.Contains(run.Output, "second version");
        }
        finally
        {
            Engine.Docker("rmi", "--force", firstUri, secondUri);
        }
    }

    /// <summary>True when buildx's plain progress marks the step whose text contains <paramref name="step"/> as CACHED.</summary>
    private static bool IsCached(string output, string step)
    {
        var numbers = StepLine().Matches(output).Where(m => m.Groups[2].Value.Contains(step, StringComparison.Ordinal))
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.IsTrue(numbers.Count > 0, $"buildx printed no step for '{step}'");
        return numbers.All(n => output.Contains($"#{n} CACHED", StringComparison.Ordinal));
    }

    private static async Task<string?> ManifestDigestAsync(string uri)
    {
        var slash = uri.IndexOf('/');
        var colon = uri.LastIndexOf(':');
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{uri[..slash]}/v2/{uri[(slash + 1)..colon]}/manifests/{uri[(colon + 1)..]}");
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                     "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json" })
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode && response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : null;
    }

    [GeneratedRegex(@"#(\d+) \[[^\]]*\] (RUN .*)")]
    private static partial Regex StepLine();
}
