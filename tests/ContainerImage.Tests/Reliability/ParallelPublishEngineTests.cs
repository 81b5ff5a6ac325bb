using System.Diagnostics;
using System.Text.Json;
using ContainerImage.Tests.EndToEnd;
using Engine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// testassets/parallel: eight image projects in one solution, published with <c>dotnet publish Parallel.sln
/// -m:8 -t:PublishContainerImage</c> against the local registry. Every project succeeds, writes only into its
/// own obj/ (what is there is its own declaration), two projects declaring the same image leave one whole
/// manifest under one tag (built once, or twice with the same digest), a third with the same name and other
/// content gets its own tag, and a second publish builds nothing.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class ParallelPublishEngineTests : EndToEndTest
{
    private const string Registry = "127.0.0.1:5000";

    // Project folder -> (image name suffix, the text of its marker.txt); see testassets/parallel.
    private static readonly Dictionary<string, (string Image, string Marker)> Projects = new()
    {
        ["p1"] = ("p1", "p1"), ["p2"] = ("p2", "p2"), ["p3"] = ("p3", "p3"), ["p4"] = ("p4", "p4"), ["p5"] = ("p5", "p5"),
        ["twin-a"] = ("twin", "twin"), ["twin-b"] = ("twin", "twin"), ["twin-c"] = ("twin", "twin-but-different"),
    };

    [TestMethod]
    public async Task EightImageProjectsPublishedWithMultipleNodesStayApartAndShareOneImageSafely()
    {
        Engine.Require();
        var solution = Copy("parallel");
        var run = "r" + Guid.NewGuid().ToString("N")[..10];
        string Publish(params string[] extra)
        {
            var clock = Stopwatch.StartNew();
            var result = Succeeded(solution, solution.DotnetWithEnvironment(Engine.ChildEnvironment,
                ["publish", "-m:8", "-t:PublishContainerImage", "-p:ParallelRun=" + run, .. extra]));
            TestContext.WriteLine($"publish {string.Join(' ', extra)}: {clock.Elapsed.TotalSeconds:F1} s");
            return result.Output;
        }

        var sources = FileTimes.Read(solution.Directory);
        var first = Publish();
        var afterFirst = FileTimes.Read(solution.Directory);
        CheckEachProjectWroteOnlyItsOwnObj(solution.Directory, run, sources, afterFirst);
        var published = Projects.Keys.ToDictionary(p => p, p => ReadPublished(solution.Directory, run, p));
        var twinBuilds = new[] { "twin-a", "twin-b" }.Count(p => !published[p].Skipped);
        TestContext.WriteLine($"first publish: the shared image was built by {twinBuilds} of its two projects");
        Assert.IsTrue(twinBuilds is 1 or 2, "one of the twins built the shared image, or both did\n" + first);
        await CheckTwinsInRegistry(run, published);

        // A second publish: every image is in the registry, so nothing is built and the definitions stay as they are.
        var second = Publish();
        Assert.AreEqual(8, second.Split('\n').Count(l => l.Contains(" is up to date in its registry", StringComparison.Ordinal)), second);
        Assert.IsFalse(second.Contains("Building ", StringComparison.Ordinal), "no buildx run on an up-to-date publish\n" + second);
        var afterSecond = FileTimes.Read(solution.Directory);
        var rewritten = afterFirst.Where(f => afterSecond.TryGetValue(f.Key, out var now) && now != f.Value && !f.Key.EndsWith("publish.json", StringComparison.Ordinal)
                                              && !f.Key.EndsWith(".binlog", StringComparison.Ordinal)).Select(f => f.Key).ToList();
        Assert.AreEqual(0, rewritten.Count, "an up-to-date publish rewrites no definition file: " + string.Join(", ", rewritten));

        // Forced: all eight build at once, so both twins build and push the same tag concurrently.
        var forced = Publish("-p:ImageForceBuild=true");
        Assert.AreEqual(8, forced.Split('\n').Count(l => l.Contains("  Building ", StringComparison.Ordinal)), forced);
        var again = Projects.Keys.ToDictionary(p => p, p => ReadPublished(solution.Directory, run, p));
        foreach (var project in Projects.Keys)
        {
            Assert.IsFalse(again[project].Skipped, project + " was built");
            Assert.AreEqual(published[project].Digest, again[project].Digest, project + ": a rebuild of the same declaration has the same digest");
        }
        await CheckTwinsInRegistry(run, again);
    }

    /// <summary>
    /// Every file the publish wrote is a binlog beside the solution or lies in the obj/containerimage/&lt;own
    /// image&gt;/ folder of one project, whose files hold that project's own declaration; no source file changed.
    /// </summary>
    private static void CheckEachProjectWroteOnlyItsOwnObj(string root, string run, Dictionary<string, DateTime> before, Dictionary<string, DateTime> after)
    {
        foreach (var (path, time) in before)
        {
            Assert.IsTrue(after.TryGetValue(path, out var now) && now == time, path + " (a source file) is untouched");
        }
        var written = after.Keys.Where(p => !before.ContainsKey(p)).ToList();
        foreach (var path in written.Where(p => !p.EndsWith(".binlog", StringComparison.Ordinal) || p.Contains('/')))
        {
            var project = path.Split('/')[0];
            Assert.IsTrue(Projects.TryGetValue(project, out var declared), path + " was written outside every project");
            StringAssert.StartsWith(path, $"{project}/obj/containerimage/cimg-parallel/{run}-{declared.Image}/", "each project writes only its own image folder");
        }
        foreach (var (project, (image, marker)) in Projects)
        {
            var folder = Path.Combine(root, project, "obj", "containerimage", "cimg-parallel", $"{run}-{image}");
            var identifier = File.ReadAllText(Path.Combine(folder, "identifier.txt")).Trim();
            Assert.AreEqual($"{Registry}/cimg-parallel/{run}-{image}:{identifier}", File.ReadAllText(Path.Combine(folder, "uri.txt")).Trim());
            StringAssert.Contains(File.ReadAllText(Path.Combine(folder, "Dockerfile")), $"PARALLEL_MARKER=\"{image}\"", project + "'s own declaration");
            Assert.AreEqual(marker + "\n", File.ReadAllText(Path.Combine(folder, "context", "layers", "0", "marker.txt")), project + "'s own file");
            Assert.AreEqual(1, Directory.GetDirectories(Path.Combine(root, project, "obj", "containerimage", "cimg-parallel")).Length, project + " has one image folder");
        }
    }

    /// <summary>The twins share one tag holding one whole manifest; twin-c has its own; both images run.</summary>
    private async Task CheckTwinsInRegistry(string run, Dictionary<string, Published> published)
    {
        var repository = $"cimg-parallel/{run}-twin";
        var (a, b, c) = (published["twin-a"], published["twin-b"], published["twin-c"]);
        Assert.AreEqual(a.Uri, b.Uri, "the same declaration gets the same tag");
        Assert.AreEqual(a.Digest, b.Digest, "and the same digest");
        Assert.AreNotEqual(a.Uri, c.Uri, "the same name with other content gets its own tag");
        CollectionAssert.AreEqual(new[] { a.Identifier, c.Identifier }.Order(StringComparer.Ordinal).ToArray(), await RegistryContent.TagsAsync(Registry, repository));
        foreach (var (image, marker) in new[] { (a, "twin"), (c, "twin-but-different") })
        {
            Assert.AreEqual(image.Digest, await RegistryContent.VerifiedDigestAsync(Registry, repository, image.Identifier), "the registry holds one whole manifest for " + image.Uri);
            // Pulling by digest makes the engine verify the content against it.
            var byDigest = $"{Registry}/{repository}@{image.Digest}";
            try
            {
                var pull = Engine.Docker("pull", "--quiet", byDigest);
                Assert.AreEqual(0, pull.ExitCode, pull.Output);
                var ran = Engine.Docker("run", "--rm", "--pull=never", "--network=none", byDigest, "cat", "/parallel/ran.txt");
                Assert.AreEqual(0, ran.ExitCode, ran.Output);
                Assert.AreEqual(marker + "\n", ran.Output, "the image's RUN step copied its own marker");
            }
            finally
            {
                Engine.Docker("image", "rm", "--force", byDigest);
            }
        }
        TestContext.WriteLine($"registry {repository}: tags {a.Identifier[..12]} ({a.Digest[..19]}), {c.Identifier[..12]} ({c.Digest[..19]}), both whole");
    }

    private static Published ReadPublished(string root, string run, string project)
    {
        var file = Path.Combine(root, project, "obj", "containerimage", "cimg-parallel", $"{run}-{Projects[project].Image}", "publish.json");
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var r = json.RootElement;
        return new Published(r.GetProperty("uri").GetString()!, r.GetProperty("identifier").GetString()!,
            r.GetProperty("digest").GetString()!, r.GetProperty("skipped").GetBoolean());
    }

    private sealed record Published(string Uri, string Identifier, string Digest, bool Skipped);
}

/// <summary>Every file under a folder with its last write time, by path relative to the folder ('/' separated).</summary>
internal static class FileTimes
{
    public static Dictionary<string, DateTime> Read(string root)
        => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.GetLastWriteTimeUtc, StringComparer.Ordinal);
}
