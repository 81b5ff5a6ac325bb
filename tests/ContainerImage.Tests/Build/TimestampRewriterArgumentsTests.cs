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
    public void TheSdkIsTheDefaultAndBuildKitStaysAvailable()
    {
        var defaults = new BuildRequest { ContextDirectory = "/c", DockerfilePath = "/d", Tags = ["r/x:1"], Platforms = [], MetadataFile = "/m", Output = OutputMode.Push };
        Assert.AreEqual(TimestampRewriter.Sdk, defaults.TimestampRewrite);
        Assert.IsTrue(defaults.RetimesInSdk, "the default push from the layout folder is re-timed by the SDK");
        var request = Request(TimestampRewriter.BuildKit);
        Assert.IsFalse(request.RetimesInSdk);
        StringAssert.Contains(Output(request), "rewrite-timestamp=true");
    }

    [TestMethod]
    public void OnlyABuildTheSdkReTimesReadsTheLinkedDockerfile()
    {
        var linked = Request(TimestampRewriter.Sdk) with
        {
            LinkedDockerfilePath = "/obj/Dockerfile.linked",
            LinkedChunks = [new LinkedChunk("layers/0/part1/", "/app/", "layers/0/part0/")],
        };
        Assert.IsTrue(linked.UsesLinkedDockerfile);
        Assert.AreEqual("/obj/Dockerfile.linked", FileArgument(linked));
        BuildRequest[] plain =
        [
            linked with { TimestampRewrite = TimestampRewriter.BuildKit },
            linked with { Compression = LayerCompression.Zstd },
            linked with { Output = OutputMode.DockerArchive, ArchivePath = "/o.tar" },
            linked with { PushThroughEngine = true },
            linked with { Output = OutputMode.Load, StageThroughOciArchive = false },
            linked with { LinkedChunks = [] },
        ];
        foreach (var request in plain)
        {
            Assert.IsFalse(request.UsesLinkedDockerfile, request.ToString());
            Assert.AreEqual(request.DockerfilePath, FileArgument(request), request.ToString());
        }
    }

    [TestMethod]
    [DataRow(OutputMode.Load)]
    [DataRow(OutputMode.OciArchive)]
    public void ALoadAndAnOciArchiveTheSdkReTimesReadTheLinkedDockerfileToo(OutputMode output)
    {
        var linked = Request(TimestampRewriter.Sdk) with
        {
            Output = output,
            ArchivePath = "/out/image.tar",
            LinkedDockerfilePath = "/obj/Dockerfile.linked",
            LinkedChunks = [new LinkedChunk("layers/0/part1/", "/app/", "layers/0/part0/")],
        };
        Assert.IsTrue(linked.UsesLinkedDockerfile);
        Assert.AreEqual("/obj/Dockerfile.linked", FileArgument(linked));
        Assert.IsFalse((linked with { TimestampRewrite = TimestampRewriter.BuildKit }).UsesLinkedDockerfile);
    }

    private static string FileArgument(BuildRequest request)
    {
        var arguments = BuildxArguments.Create(request).ToList();
        return arguments[arguments.IndexOf("--file") + 1];
    }

    [TestMethod]
    [DataRow(OutputMode.Load)]
    [DataRow(OutputMode.OciArchive)]
    public void ALoadAndAnOciArchiveAreReTimedByTheSdkFromTheSameLayoutFolderAsThePush(OutputMode output)
    {
        var request = Request(TimestampRewriter.Sdk) with { Output = output, ArchivePath = "/out/image.tar" };

        Assert.IsTrue(request.RetimesInSdk);
        Assert.IsTrue(request.BuildsLayoutFolder);
        Assert.IsFalse(request.PushesLayoutFolder);
        Assert.IsFalse(request.StreamsStagingArchive, "the SDK streams the re-timed layout, not buildx's archive");
        Assert.AreEqual(Output(Request(TimestampRewriter.Sdk)), Output(request), "the push's export: one layout, one digest");
    }

    [TestMethod]
    public void AnOciArchiveWithoutTagsHasNoNames()
        => Assert.AreEqual("type=oci,tar=false,dest=/obj/oci-layout,compression=uncompressed",
            Output(Request(TimestampRewriter.Sdk) with { Output = OutputMode.OciArchive, ArchivePath = "/o.tar", Tags = [] }));

    [TestMethod]
    public void ZstdTheEngineADockerArchiveAndBuildKitKeepBuildKitsRewrite()
    {
        var sdk = Request(TimestampRewriter.Sdk);
        BuildRequest[] others =
        [
            sdk with { Compression = LayerCompression.Zstd },
            sdk with { PushThroughEngine = true },
            sdk with { Output = OutputMode.Load, Compression = LayerCompression.Zstd },
            sdk with { Output = OutputMode.Load, TimestampRewrite = TimestampRewriter.BuildKit },
            sdk with { Output = OutputMode.OciArchive, ArchivePath = "/o.tar", Compression = LayerCompression.Zstd },
            sdk with { Output = OutputMode.OciArchive, ArchivePath = "/o.tar", TimestampRewrite = TimestampRewriter.BuildKit },
            sdk with { Output = OutputMode.DockerArchive, ArchivePath = "/o.tar" },
        ];
        foreach (var request in others)
        {
            Assert.IsFalse(request.RetimesInSdk, request.ToString());
            StringAssert.Contains(Output(request), "rewrite-timestamp=true", request.ToString());
        }
    }
}
