using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Build;

[TestClass]
public sealed class BuildxArgumentsTests
{
    private static BuildRequest Request(OutputMode output = OutputMode.Push) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = ["reg.example/app:1", "reg.example/app:latest"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = "/obj/meta.json",
        Output = output,
        // These tests are about each option's flag; the reproducible defaults (epoch 0, staged
        // archive) are tested in Reproducibility/ReproducibleArgumentsTests.
        SourceDateEpoch = null,
    };

    private static string ValueAfter(IReadOnlyList<string> args, string option)
    {
        var i = args.ToList().IndexOf(option);
        Assert.IsTrue(i >= 0 && i + 1 < args.Count, $"{option} missing in: {string.Join(' ', args)}");
        return args[i + 1];
    }

    private static List<string> ValuesAfter(IReadOnlyList<string> args, string option)
        => args.Select((a, i) => (a, i)).Where(x => x.a == option).Select(x => args[x.i + 1]).ToList();

    [TestMethod]
    public void StartsWithBuildxBuildAndEndsWithTheContext()
    {
        var args = BuildxArguments.Create(Request());
        CollectionAssert.AreEqual(new[] { "buildx", "build" }, args.Take(2).ToArray());
        Assert.AreEqual("/ctx", args[^1]);
        Assert.AreEqual("/ctx/Dockerfile", ValueAfter(args, "--file"));
        Assert.AreEqual("/obj/meta.json", ValueAfter(args, "--metadata-file"));
        CollectionAssert.Contains(args.ToList(), "--progress=plain");
    }

    [TestMethod]
    public void EveryTagGetsItsOwnTagOption()
        => CollectionAssert.AreEqual(new[] { "reg.example/app:1", "reg.example/app:latest" }, ValuesAfter(BuildxArguments.Create(Request()), "--tag"));

    [TestMethod]
    public void PlatformsAreJoinedWithCommas()
    {
        var args = BuildxArguments.Create(Request() with { Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64, Platform.Parse("linux/arm/v7")] });
        Assert.AreEqual("linux/amd64,linux/arm64,linux/arm/v7", ValueAfter(args, "--platform"));
    }

    [TestMethod]
    public void NoPlatformsMeansNoPlatformOption()
        => CollectionAssert.DoesNotContain(BuildxArguments.Create(Request() with { Platforms = [] }).ToList(), "--platform");

    [TestMethod]
    public void PushAndLoadUseTheirFlags()
    {
        var push = BuildxArguments.Create(Request(OutputMode.Push)).ToList();
        CollectionAssert.Contains(push, "--push");
        CollectionAssert.DoesNotContain(push, "--load");
        var load = BuildxArguments.Create(Request(OutputMode.Load)).ToList();
        CollectionAssert.Contains(load, "--load");
        CollectionAssert.DoesNotContain(load, "--push");
    }

    [TestMethod]
    [DataRow(OutputMode.OciArchive, "type=oci,dest=/out/image.tar")]
    [DataRow(OutputMode.DockerArchive, "type=docker,dest=/out/image.tar")]
    public void ArchiveModesWriteTheirArchive(OutputMode mode, string expected)
    {
        var args = BuildxArguments.Create(Request(mode) with { ArchivePath = "/out/image.tar" });
        Assert.AreEqual(expected, ValueAfter(args, "--output"));
        CollectionAssert.DoesNotContain(args.ToList(), "--push");
    }

    [TestMethod]
    public void AnArchivePathWithACommaIsQuotedSoItCannotAddOptions()
    {
        var args = BuildxArguments.Create(Request(OutputMode.OciArchive) with { ArchivePath = "/out/a,push=true.tar" });
        Assert.AreEqual("type=oci,\"dest=/out/a,push=true.tar\"", ValueAfter(args, "--output"));
    }

    [TestMethod]
    [DataRow(OutputMode.OciArchive)]
    [DataRow(OutputMode.DockerArchive)]
    public void ArchiveModesWithoutAPathAreRefused(OutputMode mode)
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => BuildxArguments.Create(Request(mode)));
        Assert.AreEqual(DiagnosticCodes.BuildArchivePathMissing, error.Code);
        StringAssert.StartsWith(error.Message, "CIMG3010: ");
    }

    [TestMethod]
    [DataRow(OutputMode.Push)]
    [DataRow(OutputMode.Load)]
    public void PushAndLoadWithoutATagAreRefused(OutputMode mode)
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => BuildxArguments.Create(Request(mode) with { Tags = [] }));
        Assert.AreEqual(DiagnosticCodes.BuildTagMissing, error.Code);
    }

    [TestMethod]
    public void NoOutputBuildsIntoTheCacheOnly()
        => Assert.AreEqual("type=cacheonly", ValueAfter(BuildxArguments.Create(Request(OutputMode.None) with { Tags = [] }), "--output"));

    [TestMethod]
    public void SecretsAreReferencedByWhereTheirValueIsNeverByValue()
    {
        var fromEnv = Secret.AsEnvironmentVariable("token", sourceVariable: "CI_TOKEN");
        var fromFile = Secret.AsFile("netrc", "/root/.netrc").FromFile("/home/ci/.netrc");
        var args = BuildxArguments.Create(Request() with { Secrets = [fromEnv, fromFile] });
        CollectionAssert.AreEqual(new[] { "id=token,env=CI_TOKEN", "id=netrc,src=/home/ci/.netrc" }, ValuesAfter(args, "--secret"));
    }

    [TestMethod]
    public void ASecretUsedByTwoLayersIsPassedOnce()
    {
        var a = Secret.AsEnvironmentVariable("token");
        var b = Secret.AsFile("token", "/run/token");
        var args = BuildxArguments.Create(Request() with { Secrets = [a, b, a] });
        CollectionAssert.AreEqual(new[] { "id=token,env=token" }, ValuesAfter(args, "--secret"));
    }

    [TestMethod]
    public void OneSecretIdWithTwoSourcesIsRefused()
    {
        var a = Secret.AsEnvironmentVariable("token", sourceVariable: "A");
        var b = Secret.AsEnvironmentVariable("token", sourceVariable: "B");
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => BuildxArguments.Create(Request() with { Secrets = [a, b] }));
        Assert.AreEqual(DiagnosticCodes.ConflictingSecret, error.Code);
    }

    [TestMethod]
    public void ASecretFilePathWithACommaIsQuoted()
    {
        var secret = Secret.AsEnvironmentVariable("s").FromFile("/tmp/a,env=X");
        Assert.AreEqual("id=s,\"src=/tmp/a,env=X\"", ValueAfter(BuildxArguments.Create(Request() with { Secrets = [secret] }), "--secret"));
    }

    [TestMethod]
    public void CacheNetworkAndBuilderArePassedThrough()
    {
        var args = BuildxArguments.Create(Request() with
        {
            CacheFrom = ["type=registry,ref=reg.example/app:cache", "type=local,src=/c"],
            CacheTo = ["type=registry,ref=reg.example/app:cache,mode=max"],
            Network = "host",
            Builder = "remote",
        });
        CollectionAssert.AreEqual(new[] { "type=registry,ref=reg.example/app:cache", "type=local,src=/c" }, ValuesAfter(args, "--cache-from"));
        CollectionAssert.AreEqual(new[] { "type=registry,ref=reg.example/app:cache,mode=max" }, ValuesAfter(args, "--cache-to"));
        Assert.AreEqual("host", ValueAfter(args, "--network"));
        Assert.AreEqual("remote", ValueAfter(args, "--builder"));
    }

    [TestMethod]
    public void UnsetOptionsAreLeftOut()
    {
        var args = BuildxArguments.Create(Request()).ToList();
        foreach (var option in new[] { "--builder", "--network", "--cache-from", "--cache-to", "--secret", "--build-arg" })
        {
            CollectionAssert.DoesNotContain(args, option);
        }
    }

    [TestMethod]
    public void BuildArgsAreSortedByName()
    {
        var args = BuildxArguments.Create(Request() with { BuildArgs = new Dictionary<string, string> { ["B"] = "2", ["A"] = "x y" } });
        CollectionAssert.AreEqual(new[] { "A=x y", "B=2" }, ValuesAfter(args, "--build-arg"));
    }

    [TestMethod]
    public void ProvenanceIsOffUnlessAskedFor()
    {
        CollectionAssert.Contains(BuildxArguments.Create(Request()).ToList(), "--provenance=false");
        CollectionAssert.DoesNotContain(BuildxArguments.Create(Request() with { Provenance = true }).ToList(), "--provenance=false");
    }

    [TestMethod]
    public void SourceDateEpochBecomesABuildArg()
    {
        var args = BuildxArguments.Create(Request() with { SourceDateEpoch = 1700000000, StageThroughOciArchive = false });
        CollectionAssert.Contains(ValuesAfter(args, "--build-arg"), "SOURCE_DATE_EPOCH=1700000000");
        CollectionAssert.Contains(args.ToList(), "--push");
    }

    [TestMethod]
    public void AnExplicitSourceDateEpochBuildArgIsNotDuplicated()
    {
        var args = BuildxArguments.Create(Request() with { SourceDateEpoch = 5, BuildArgs = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "7" } });
        CollectionAssert.AreEqual(new[] { "SOURCE_DATE_EPOCH=7" }, ValuesAfter(args, "--build-arg"));
    }

    [TestMethod]
    public void ArchivesRewriteTimestampsWhenAnEpochIsSet()
    {
        var args = BuildxArguments.Create(Request(OutputMode.OciArchive) with { ArchivePath = "/o.tar", SourceDateEpoch = 1, TimestampRewrite = TimestampRewriter.BuildKit });
        Assert.AreEqual("type=oci,dest=/o.tar,rewrite-timestamp=true", ValueAfter(args, "--output"));
        var docker = BuildxArguments.Create(Request(OutputMode.DockerArchive) with { ArchivePath = "/o.tar", SourceDateEpoch = 1 });
        Assert.AreEqual("type=docker,dest=/o.tar,rewrite-timestamp=true", ValueAfter(docker, "--output"));
    }

    [TestMethod]
    public void AnOciArchiveTheSdkReTimesStillNeedsItsPath()
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => BuildxArguments.Create(Request(OutputMode.OciArchive) with { SourceDateEpoch = 1 }));
        Assert.AreEqual(DiagnosticCodes.BuildArchivePathMissing, error.Code);
    }

    [TestMethod]
    public void PushAndLoadRewriteTimestampsOnlyWhenAskedFor()
    {
        var push = BuildxArguments.Create(Request(OutputMode.Push) with { SourceDateEpoch = 1, RewriteTimestamp = true });
        Assert.AreEqual("type=image,push=true,rewrite-timestamp=true", ValueAfter(push, "--output"));
        CollectionAssert.DoesNotContain(push.ToList(), "--push");
        var load = BuildxArguments.Create(Request(OutputMode.Load) with { SourceDateEpoch = 1, RewriteTimestamp = true });
        Assert.AreEqual("type=docker,rewrite-timestamp=true", ValueAfter(load, "--output"));
        // Without an epoch there is nothing to rewrite to.
        CollectionAssert.Contains(BuildxArguments.Create(Request(OutputMode.Push) with { RewriteTimestamp = true }).ToList(), "--push");
    }

    [TestMethod]
    public void ExtraArgsComeLastBeforeTheContext()
    {
        var args = BuildxArguments.Create(Request() with { ExtraArgs = ["--no-cache", "--label", "a=b"] });
        CollectionAssert.AreEqual(new[] { "--no-cache", "--label", "a=b", "/ctx" }, args.TakeLast(4).ToArray());
    }
}
