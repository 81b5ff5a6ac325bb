using ContainerImage.Build;
using ContainerImage.Model;

namespace ContainerImage.Tests.Build;

/// <summary>BuildRequest.Compression: the output option BuildKit gets for each output mode.</summary>
[TestClass]
public sealed class LayerCompressionTests
{
    private static BuildRequest Request(OutputMode output, LayerCompression compression) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = ["reg.example/app:1"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = "/obj/meta.json",
        Output = output,
        ArchivePath = "/out/image.tar",
        Compression = compression,
        // Direct outputs: with an epoch (the default) push and load go through a staged archive (tested below).
        SourceDateEpoch = null,
    };

    private static string Output(BuildRequest request)
    {
        var args = BuildxArguments.Create(request).ToList();
        var i = args.IndexOf("--output");
        Assert.IsTrue(i >= 0, string.Join(' ', args));
        return args[i + 1];
    }

    [TestMethod]
    [DataRow(OutputMode.Push, "--push")]
    [DataRow(OutputMode.Load, "--load")]
    public void TheDefaultKeepsTheShortFlags(OutputMode output, string flag)
    {
        var args = BuildxArguments.Create(Request(output, LayerCompression.Default)).ToList();
        CollectionAssert.Contains(args, flag);
        CollectionAssert.DoesNotContain(args, "--output");
    }

    [TestMethod]
    [DataRow(OutputMode.Push, LayerCompression.Zstd, "type=image,push=true,compression=zstd,force-compression=true")]
    [DataRow(OutputMode.Load, LayerCompression.Zstd, "type=docker,compression=zstd,force-compression=true")]
    [DataRow(OutputMode.Push, LayerCompression.Gzip, "type=image,push=true,compression=gzip,force-compression=true")]
    [DataRow(OutputMode.OciArchive, LayerCompression.Zstd, "type=oci,dest=/out/image.tar,compression=zstd,force-compression=true")]
    [DataRow(OutputMode.DockerArchive, LayerCompression.Default, "type=docker,dest=/out/image.tar")]
    public void ACompressionIsForcedOnTheOutput(OutputMode output, LayerCompression compression, string expected)
        => Assert.AreEqual(expected, Output(Request(output, compression)));

    [TestMethod]
    public void CompressionAndTimestampRewriteCombine()
        => Assert.AreEqual("type=image,push=true,rewrite-timestamp=true,compression=zstd,force-compression=true",
            Output(Request(OutputMode.Push, LayerCompression.Zstd) with { SourceDateEpoch = 1, RewriteTimestamp = true }));

    [TestMethod]
    public void TheStagedArchiveOfAReproduciblePushIsCompressedToo()
    {
        var request = Request(OutputMode.Push, LayerCompression.Zstd) with { SourceDateEpoch = 1 };
        Assert.IsTrue(request.UsesStagingArchive);
        StringAssert.EndsWith(Output(request), ",compression=zstd,force-compression=true");
    }

    [TestMethod]
    public void BuildOnlyIgnoresCompression()
        => Assert.AreEqual("type=cacheonly", Output(Request(OutputMode.None, LayerCompression.Zstd)));
}
