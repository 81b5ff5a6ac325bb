using ContainerImage.Build;
using ContainerImage.Model;

namespace ContainerImage.Tests.Build;

/// <summary>BuildRequest.TimestampRewrite: which exports leave the re-timing to the SDK, and what buildx is then asked for.</summary>
[TestClass]
public sealed class TimestampRewriterArgumentsTests
{
    private static BuildRequest Request(TimestampRewriter rewriter) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = ["reg.example/app:1", "reg.example/app:latest"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = "/obj/meta.json",
        Output = OutputMode.Push,
        TimestampRewrite = rewriter,
    };

    private static string Output(BuildRequest request)
    {
        var args = BuildxArguments.Create(request).ToList();
        return args[args.IndexOf("--output") + 1];
    }

    [TestMethod]
    [DataRow(LayerCompression.Default)]
    [DataRow(LayerCompression.Gzip)]
    public void TheSdkRewriterExportsTheLayoutUncompressedWithoutRewrite(LayerCompression compression)
    {
        var request = Request(TimestampRewriter.Sdk) with { Compression = compression };

        Assert.IsTrue(request.RetimesInSdk);
        Assert.AreEqual("type=oci,tar=false,dest=/obj/oci-layout,\"name=reg.example/app:1,reg.example/app:latest\",compression=uncompressed", Output(request));
        CollectionAssert.Contains(BuildxArguments.Create(request).ToList(), "SOURCE_DATE_EPOCH=0", "config and history times still come from the epoch");
    }

    [TestMethod]
    public void BuildKitStaysTheDefault()
    {
        var request = Request(TimestampRewriter.BuildKit);
        Assert.AreEqual(TimestampRewriter.BuildKit, new BuildRequest { ContextDirectory = "/c", DockerfilePath = "/d", Tags = [], Platforms = [], MetadataFile = "/m" }.TimestampRewrite);
        Assert.IsFalse(request.RetimesInSdk);
        StringAssert.Contains(Output(request), "rewrite-timestamp=true");
    }

    [TestMethod]
    public void ZstdTheEngineLoadAndArchivesKeepBuildKitsRewrite()
    {
        var sdk = Request(TimestampRewriter.Sdk);
        BuildRequest[] others =
        [
            sdk with { Compression = LayerCompression.Zstd },
            sdk with { PushThroughEngine = true },
            sdk with { Output = OutputMode.Load },
            sdk with { Output = OutputMode.OciArchive, ArchivePath = "/o.tar" },
        ];
        foreach (var request in others)
        {
            Assert.IsFalse(request.RetimesInSdk, request.ToString());
            StringAssert.Contains(Output(request), "rewrite-timestamp=true", request.ToString());
        }
    }
}
