namespace ContainerImage.Tests.EndToEnd;

/// <summary>Dry runs of the app-image kinds, OCI labels and a derived clone: the generated Dockerfiles, no engine.</summary>
[TestClass]
public sealed class AppImageDryRunTests : EndToEndTest
{
    [TestMethod]
    public void EveryAppKindBecomesItsInstructionAndLabelsComeFromProjectMetadata()
    {
        var project = Copy("app-config");
        Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        var dockerfile = File.ReadAllText(project.ImageFile("app-config", "Dockerfile"));
        var lines = dockerfile.Split('\n');
        StringAssert.StartsWith(dockerfile, "FROM 127.0.0.1:5000/local/busybox:static");
        StringAssert.Contains(dockerfile, "/srv/site");
        Assert.AreEqual("site index\n", File.ReadAllText(Path.Combine(project.ImageFile("app-config", "context"), "layers", "0", "index.txt")));
        CollectionAssert.Contains(lines, "ENTRYPOINT [\"/bin/sh\", \"-c\"]");
        CollectionAssert.Contains(lines, "CMD [\"cat /srv/site/index.txt\"]");
        CollectionAssert.Contains(lines, "USER 65534");
        CollectionAssert.Contains(lines, "EXPOSE 53/udp 8080/tcp");
        CollectionAssert.Contains(lines, "HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD [\"wget\", \"-q\", \"-O-\", \"http://localhost:8080/\"]");
        // The user's source label wins over RepositoryUrl; the other metadata becomes OCI labels.
        StringAssert.Contains(dockerfile, "org.opencontainers.image.source=\"https://example.test/override\"");
        Assert.IsFalse(dockerfile.Contains("shop.git", StringComparison.Ordinal), dockerfile);
        foreach (var expected in new[] { "org.opencontainers.image.version=\"2.0.0\"", "org.opencontainers.image.title=\"app-config\"",
            "org.opencontainers.image.description=\"Config kinds\"", "org.opencontainers.image.revision=\"abc123\"" })
        {
            StringAssert.Contains(dockerfile, expected);
        }
    }

    [TestMethod]
    public void ADerivedCloneStartsFromItsParentsUriAndIsPublishedAfterIt()
    {
        var project = Copy("app-config");
        var result = Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        var parentUri = File.ReadAllText(project.ImageFile("app-config", "uri.txt")).Trim();
        var child = File.ReadAllText(project.ImageFile("app-config-worker", "Dockerfile"));
        var childLines = child.Split('\n');
        Assert.AreEqual("FROM " + parentUri, childLines.First(l => l.StartsWith("FROM", StringComparison.Ordinal)), child);
        CollectionAssert.Contains(childLines, "CMD []");
        CollectionAssert.Contains(childLines, "HEALTHCHECK NONE");
        CollectionAssert.Contains(childLines, "CMD [\"echo worker\"]");
        Assert.IsFalse(child.Contains("EXPOSE", StringComparison.Ordinal), "a derived image inherits, it does not copy: " + child);
        var order = File.ReadAllLines(project.ImageFile("app-config", "publish-order.txt"));
        CollectionAssert.AreEqual(new[] { project.ImageFile("app-config", "image.json"), project.ImageFile("app-config-worker", "image.json") }, order);
        Assert.IsTrue(result.Output.IndexOf(parentUri, StringComparison.Ordinal) < result.Output.IndexOf("app-config-worker:", StringComparison.Ordinal));

        // The child's identifier covers the parent's: changing only the parent's files changes both.
        var childIdentifier = File.ReadAllText(project.ImageFile("app-config-worker", "identifier.txt"));
        File.WriteAllText(Path.Combine(project.Directory, "site", "index.txt"), "changed\n");
        Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true"));
        Assert.AreNotEqual(childIdentifier, File.ReadAllText(project.ImageFile("app-config-worker", "identifier.txt")));
        StringAssert.Contains(File.ReadAllText(project.ImageFile("app-config-worker", "Dockerfile")),
            "FROM " + File.ReadAllText(project.ImageFile("app-config", "uri.txt")).Trim());
    }

    [TestMethod]
    public void ImageGenerateLabelsFalseLeavesTheMetadataOut()
    {
        var project = Copy("app-config");
        Succeeded(project, project.Dotnet("publish", "-t:PublishContainerImage", "-p:ImageDryRun=true", "-p:ImageGenerateLabels=false"));
        var dockerfile = File.ReadAllText(project.ImageFile("app-config", "Dockerfile"));
        Assert.IsFalse(dockerfile.Contains("org.opencontainers.image.version", StringComparison.Ordinal), dockerfile);
        StringAssert.Contains(dockerfile, "org.opencontainers.image.source=\"https://example.test/override\"");
    }

    [TestMethod]
    public void ResolvePinningWithAnUnreachableRegistryWarnsAndKeepsTheTag()
    {
        var project = Copy("base-pinning");
        var result = Succeeded(project, project.Dotnet("build", "-p:ImageBasePinning=resolve", "-p:ImageBaseUri=127.0.0.1:1/cimg-msb5/nothing:1",
            "-p:ImageRegistryTimeout=2", "-p:ImageRegistryRetries=0"));
        StringAssert.Contains(result.Output, "warning CIMG1030");
        StringAssert.StartsWith(File.ReadAllText(project.ImageFile("base-pinning", "Dockerfile")), "FROM 127.0.0.1:1/cimg-msb5/nothing:1\n");
        var locked = Failed(project, project.Dotnet("build", "-p:ImageBasePinning=locked", "-p:ImageBaseUri=127.0.0.1:1/cimg-msb5/nothing:1",
            "-p:ImageRegistryTimeout=2", "-p:ImageRegistryRetries=0"));
        StringAssert.Contains(locked.Output, "error CIMG1030");
        Assert.IsFalse(File.Exists(Path.Combine(project.Directory, "image.lock.json")));
    }

    [TestMethod]
    [TestCategory("Engine")] // It asks the local registry for the base's digest.
    public void ResolvePinningPinsTheDigestOfTheLocalRegistry()
    {
        Engine.Require();
        var project = Copy("base-pinning");
        Succeeded(project, project.Dotnet("build", "-p:ImageBasePinning=resolve", "-p:ImageBaseUri=127.0.0.1:5000/local/busybox:static"));
        var dockerfile = File.ReadAllText(project.ImageFile("base-pinning", "Dockerfile"));
        StringAssert.Matches(dockerfile, new System.Text.RegularExpressions.Regex("^FROM 127\\.0\\.0\\.1:5000/local/busybox:static@sha256:[0-9a-f]{64}\n"));
    }
}
