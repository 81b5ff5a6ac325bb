namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// `dotnet publish` of an images-only project that has published before starts the registry check during its
/// restore pass, and PublishContainerImage's first target starts it otherwise (ImageEarlyRegistryCheck): the
/// answer is used when it is for the same URI, it never makes a missing image look published, and the property
/// turns it off.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class EarlyRegistryCheckEngineTests : EndToEndTest
{
    private const string StartedEarly = "started early (the last definition's URI)";
    private const string AnswerUsed = "from the check started early";
    private const string RanDuringRestore = "Done building target \"_StartImageRegistryCheckDuringRestore\"";

    [TestMethod]
    public void TheEarlyAnswerIsUsedWhenItExistsAndAMissingImageIsStillBuilt()
    {
        Engine.Require();
        var project = Copy("layered");
        var name = "cimg-e2e/early-" + Guid.NewGuid().ToString("N")[..10];
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:diag"];

        var first = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        Assert.IsFalse(first.Output.Contains(RanDuringRestore, StringComparison.Ordinal), "nothing was published before: no check during restore");
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        var pushed = RegistryManifests.Get(uri);
        Assert.IsNotNull(pushed, "the first publish pushed the image");

        var unchanged = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        StringAssert.Contains(unchanged.Output, RanDuringRestore);
        StringAssert.Contains(unchanged.Output, "Registry check of " + uri + " " + StartedEarly);
        StringAssert.Contains(unchanged.Output, "Registry check of " + uri + " already started early", "PublishContainerImage's own start reuses it");
        StringAssert.Contains(unchanged.Output, "Registry answer for " + uri + " " + AnswerUsed);
        StringAssert.Contains(unchanged.Output, uri + " is up to date in its registry");

        // The image goes from the registry: the early check answers "missing", and the publish builds and pushes again.
        RegistryManifests.Delete(uri, pushed.Digest);
        Assert.IsNull(RegistryManifests.Get(uri), "the tag is gone");
        var rebuilt = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, publish));
        StringAssert.Contains(rebuilt.Output, "Registry check of " + uri + " " + StartedEarly);
        StringAssert.Contains(rebuilt.Output, "Building " + uri);
        Assert.AreEqual(pushed.Digest, RegistryManifests.Get(uri)?.Digest, "pushed again, the same (reproducible) manifest");

        var off = Succeeded(project, project.DotnetWithEnvironment(Engine.ChildEnvironment, [.. publish, "-p:ImageEarlyRegistryCheck=false"]));
        Assert.IsFalse(off.Output.Contains("started early", StringComparison.Ordinal), "ImageEarlyRegistryCheck=false: no early check");
        Assert.IsFalse(off.Output.Contains(AnswerUsed, StringComparison.Ordinal));
        StringAssert.Contains(off.Output, uri + " is up to date in its registry");
    }
}
