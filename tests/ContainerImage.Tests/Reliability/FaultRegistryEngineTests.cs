using ContainerImage.Tests.Infrastructure;
using E2EEngine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// A registry that answers 500, answers slowly, drops connections, or fails once: through MSBuild, with
/// the real engine pushing through a <see cref="FaultProxy"/> in front of the shared registry. Each
/// fault gives a coded diagnostic naming the registry and the cause; a failed check never counts as
/// "up to date"; after the fault the next publish builds and pushes what is missing.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class FaultRegistryEngineTests : FaultEngineTest
{
    [TestMethod]
    public void ServerErrorsGiveCodedErrorsAndTheNextPublishPushesTheRightDigest()
    {
        E2EEngine.Require();
        using var proxy = new FaultProxy();
        var project = Copy("base-uri");
        var name = UniqueName("500");
        string[] properties = [$"ImageRegistry={proxy.Address}", "ImageName=" + name, "ImageRegistryRetries=1", "ImageRegistryTimeout=5"];

        // 1. Every manifest request answers 500: the check fails (coded warning), the push fails (coded error).
        proxy.Set(RegistryRequestKind.ManifestRead, new Fault(FaultMode.ServerError));
        proxy.Set(RegistryRequestKind.ManifestWrite, new Fault(FaultMode.ServerError));
        var (failed, _) = Publish(project, null, properties);
        Failed(project, failed);
        StringAssert.Contains(failed.Output, "warning CIMG1001", "the failed check is a coded warning");
        StringAssert.Contains(failed.Output, $"{proxy.Address} answered HTTP 500", "the warning names the registry and the status");
        // The push goes from the layout folder over HTTP (not docker push): CIMG3111 with registry, repository and status.
        StringAssert.Contains(failed.Output, "error CIMG3111", "the refused push is a coded error");
        StringAssert.Contains(failed.Output, $"to registry '{proxy.Address}' (repository", "the error names the registry");
        StringAssert.Contains(failed.Output, "HTTP 500", "the error shows the status the registry answered");
        AssertNotUpToDate(failed, "500s");
        AssertNothingRecorded(project, name, "500s");

        // 2. The registry recovers: the next publish builds, pushes, and reports what the registry holds.
        proxy.PassAll();
        var (recovered, _) = Publish(project, null, properties);
        Succeeded(project, recovered);
        AssertNotUpToDate(recovered, "after the 500s");
        var uri = PublishedUri(recovered.Output);
        Assert.AreEqual(RegistryDigest(uri), PublishedDigest(recovered.Output), "the reported digest is the registry's");
        Assert.IsTrue(File.Exists(project.ImageFile(name, "publish.json")));

        // 3. A transient 500 (once), with the early check off: the publish's own retry succeeds, one retry
        //    message, and the image is rightly up to date.
        proxy.ResetCounts();
        proxy.Set(RegistryRequestKind.ManifestRead, new Fault(FaultMode.ServerError, Times: 1));
        var (transient, _) = Publish(project, null, [.. properties, "ImageEarlyRegistryCheck=false"]);
        Succeeded(project, transient);
        AssertUpToDate(transient, "transient 500");
        Assert.AreEqual(1, transient.Output.Split('\n').Count(l => l.Contains("retrying (attempt 2 of 2)", StringComparison.Ordinal)),
            "one retry message\n" + transient.Output);
        Assert.AreEqual(2, proxy.Count(RegistryRequestKind.ManifestRead), "the failed request and its retry");
        Assert.IsFalse(transient.Output.Contains("CIMG1001", StringComparison.Ordinal), "a retry that succeeded is no failed check");

        // 3b. The same with the early check (dotnet publish starts it during restore): its single attempt meets
        //     the 500 and is not used; the publish's own check then finds the image, with no retry needed.
        proxy.ResetCounts();
        proxy.Set(RegistryRequestKind.ManifestRead, new Fault(FaultMode.ServerError, Times: 1));
        var (early, _) = Publish(project, null, properties);
        Succeeded(project, early);
        AssertUpToDate(early, "transient 500 met by the early check");
        Assert.AreEqual(2, proxy.Count(RegistryRequestKind.ManifestRead), "the early attempt (500) and the publish's own check");
        Assert.IsFalse(early.Output.Contains("retrying", StringComparison.Ordinal), "the early attempt does not retry\n" + early.Output);
        Assert.IsFalse(early.Output.Contains("CIMG1001", StringComparison.Ordinal), "a failed early attempt is no failed check");

        // 4. The image exists, but every connection is dropped: the check cannot know, so it is NOT up to date.
        proxy.PassAll();
        foreach (var kind in Enum.GetValues<RegistryRequestKind>()) proxy.Set(kind, new Fault(FaultMode.Reset));
        var (reset, _) = Publish(project, null, properties);
        Failed(project, reset);
        StringAssert.Contains(reset.Output, "warning CIMG1001", "connection reset: the check is a coded warning");
        StringAssert.Contains(reset.Output, proxy.Address, "the warning names the registry");
        Assert.IsTrue(reset.Output.Contains("error CIMG3111", StringComparison.Ordinal) || reset.Output.Contains("error CIMG3002", StringComparison.Ordinal),
            "connection reset: the push is a coded error\n" + reset.Output);
        AssertNotUpToDate(reset, "connection reset on an image that exists");
        AssertNothingRecorded(project, name, "connection reset");
        Assert.IsFalse(reset.Output.Contains("MSB4018", StringComparison.Ordinal), "never an MSBuild crash");
    }

    [TestMethod]
    public void ASlowRegistryTimesOutWithinTheBoundAndIsRetriedAsSet()
    {
        E2EEngine.Require();
        using var proxy = new FaultProxy();
        var project = Copy("base-uri");
        var name = UniqueName("slow");
        const int timeoutSeconds = 1, retries = 2;
        string[] properties = [$"ImageRegistry={proxy.Address}", "ImageName=" + name,
            $"ImageRegistryRetries={retries}", $"ImageRegistryTimeout={timeoutSeconds}"];

        // First publish: the image is pushed, so the next check would find it.
        var (first, _) = Publish(project, null, properties);
        Succeeded(project, first);

        // Our check GETs the manifest; docker push only HEADs it: delay GETs far beyond any bound.
        var hang = TimeSpan.FromSeconds(150);
        proxy.ResetCounts();
        proxy.Set(RegistryRequestKind.ManifestRead, new Fault(FaultMode.Delay, hang, Method: "GET"));
        var (slow, elapsed) = Publish(project, null, properties);
        Succeeded(project, slow);
        StringAssert.Contains(slow.Output, "warning CIMG1001", "the timed-out check is a coded warning");
        StringAssert.Contains(slow.Output, $"{proxy.Address} did not answer within {timeoutSeconds} s ({retries + 1} attempts)",
            "the warning names the registry, the timeout and the attempts");
        AssertNotUpToDate(slow, "a slow registry on an image that exists");
        // The early check (started during dotnet publish's restore) makes one attempt without retries; its
        // failure is not used, and the publish's own check makes one request and ImageRegistryRetries retries.
        Assert.AreEqual(1 + retries + 1, proxy.Count(RegistryRequestKind.ManifestRead, "GET"), "the early attempt, then one request and ImageRegistryRetries retries");
        // The checks may take timeout x attempts + back-off (0.25 + 0.5 s); the rest of the publish (MSBuild,
        // a cached build, a push of existing blobs) is generous slack. Not honouring the timeout would take 150 s.
        var bound = TimeSpan.FromSeconds(timeoutSeconds * (1 + retries + 1) + 0.75) + TimeSpan.FromSeconds(90);
        Assert.IsTrue(elapsed < bound, $"the publish took {elapsed.TotalSeconds:0.0} s, more than the bound {bound.TotalSeconds:0} s");
        Assert.AreEqual(RegistryDigest(PublishedUri(slow.Output)), PublishedDigest(slow.Output));
    }
}
