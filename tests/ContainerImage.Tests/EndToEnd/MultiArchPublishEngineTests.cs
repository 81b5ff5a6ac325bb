using System.Text.Json;
using ContainerImage.Tests.MultiArch;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// <c>ImagePlatforms=linux/amd64;linux/arm64</c> through <c>dotnet publish -t:PublishContainerImage</c>:
/// one index in the registry, each platform runnable, and an existence check that looks at platforms.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class MultiArchPublishEngineTests : EndToEndTest
{
    [TestMethod]
    public async Task TwoPlatformsGiveOneIndexEachPlatformRunsAndAMissingPlatformIsRebuilt()
    {
        await MultiArchEngine.RequireAsync();
        var project = Copy("multiarch");
        var name = "cimg-e2e5/multiarch-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:n"];
        var first = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        StringAssert.Contains(first.Output, $"Building {uri} for linux/amd64, linux/arm64.");
        try
        {
            // What the registry holds, read with the OCI index Accept header: one index, exactly two platforms.
            var index = RegistryManifests.Get(uri);
            Assert.IsNotNull(index);
            Assert.IsTrue(index.IsIndex, $"a two-platform publish is an index, not '{index.MediaType}'");
            var entries = index.Entries();
            CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64" }, entries.Select(e => e.Platform).Order(StringComparer.Ordinal).ToArray(),
                string.Join(", ", entries.Select(e => e.Platform)));
            var published = JsonDocument.Parse(File.ReadAllText(project.ImageFile(name, "publish.json"))).RootElement;
            Assert.AreEqual(index.Digest, published.GetProperty("digest").GetString(), "publish.json names the index's digest");

            foreach (var (platform, machine) in new[] { ("linux/amd64", "x86_64"), ("linux/arm64", "aarch64") })
            {
                var pull = Engine.Docker("pull", "-q", "--platform", platform, uri);
                Assert.AreEqual(0, pull.ExitCode, pull.Output);
                var run = Engine.Docker("run", "--rm", "--pull=never", "--network=none", "--platform", platform, uri, "cat", "/arch.txt");
                Assert.AreEqual(0, run.ExitCode, run.Output);
                Assert.AreEqual(machine, run.Output.Trim().Split('\n')[^1], $"the {platform} image holds what its own RUN step wrote");
            }

            var second = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            StringAssert.Contains(second.Output, uri + " is up to date in its registry (" + index.Digest + ")");
            Assert.IsFalse(second.Output.Contains("Building " + uri, StringComparison.Ordinal), second.Output);

            // By hand: the tag now names the amd64 image alone (as a single-platform push would leave it).
            var amd64 = entries.Single(e => e.Platform == "linux/amd64");
            var amd64Manifest = RegistryManifests.Get(uri, amd64.Digest);
            Assert.IsNotNull(amd64Manifest);
            RegistryManifests.PutUnderTag(uri, amd64Manifest);
            Assert.IsFalse(RegistryManifests.Get(uri)!.IsIndex, "the tag must now name one platform's manifest");

            var third = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
            StringAssert.Contains(third.Output, $"{uri} is not in its registry yet ('{uri}' lacks linux/arm64 (it has linux/amd64))");
            StringAssert.Contains(third.Output, $"Building {uri} for linux/amd64, linux/arm64.");
            var rebuilt = RegistryManifests.Get(uri)!;
            Assert.IsTrue(rebuilt.IsIndex, rebuilt.MediaType);
            CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64" }, rebuilt.Entries().Select(e => e.Platform).Order(StringComparer.Ordinal).ToArray());
        }
        finally
        {
            Engine.Docker("rmi", "--force", uri);
        }
    }

    [TestMethod]
    public async Task ABaseWithoutARequestedPlatformStopsThePublishBeforeBuildx()
    {
        await MultiArchEngine.RequireAsync();
        var project = Copy("multiarch");
        var name = "cimg-e2e5/single-base-" + Guid.NewGuid().ToString("N")[..10];
        // local/busybox:static is one linux/amd64 manifest: BuildKit would build "arm64" from amd64 files.
        const string amd64Only = "127.0.0.1:5000/local/busybox:static";
        var result = Failed(project, project.DotnetWithEnvironment(Engine.ChildEnvironment,
            ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-p:ImageBaseUri=" + amd64Only, "-v:n"]));
        StringAssert.Contains(result.Output, $"error CIMG1032: The base image '{amd64Only}' has no linux/arm64 variant (it has linux/amd64)");
        Assert.IsFalse(result.Output.Contains("Building 127.0.0.1:5000/" + name, StringComparison.Ordinal), "nothing is built:\n" + result.Output);
        Assert.IsNull(RegistryManifests.Get(File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim()), "nothing is pushed");

        // The base offers what is asked for: the same project builds for linux/amd64.
        var amd64 = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment,
            ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-p:ImageBaseUri=" + amd64Only,
             "-p:ImagePlatforms=linux/amd64", "-v:n"]));
        StringAssert.Contains(amd64.Output, "Published ");
    }
}
