using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>The reproducible defaults of a build request and what each output mode passes to buildx.</summary>
[TestClass]
public sealed class ReproducibleDefaultsTests
{
    private static BuildRequest Request(OutputMode output) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/Dockerfile",
        Tags = ["reg.example/app:1", "reg.example/app:latest"],
        Platforms = [Platform.LinuxAmd64],
        MetadataFile = "/obj/meta.json",
        Output = output,
        ArchivePath = "/out/image.tar",
    };

    private static string Output(BuildRequest request)
    {
        var args = BuildxArguments.Create(request).ToList();
        var i = args.IndexOf("--output");
        Assert.IsTrue(i >= 0, "no --output in: " + string.Join(' ', args));
        CollectionAssert.DoesNotContain(args, "--push");
        CollectionAssert.DoesNotContain(args, "--load");
        return args[i + 1];
    }

    [TestMethod]
    public void EveryRequestStartsWithEpochZero()
    {
        var request = Request(OutputMode.Push);
        Assert.AreEqual(0L, request.SourceDateEpoch);
        Assert.AreEqual(BuildRequest.DefaultSourceDateEpoch, request.SourceDateEpoch);
        CollectionAssert.Contains(BuildxArguments.Create(request).ToList(), "SOURCE_DATE_EPOCH=0");
    }

    [TestMethod]
    [DataRow(OutputMode.Push)]
    [DataRow(OutputMode.Load)]
    public void LoadAndAPushThroughTheEngineWithBuildKitsRewriteAreStagedThroughARewrittenOciArchiveNamedAfterTheTags(OutputMode output)
    {
        // A push through the engine keeps BuildKit's rewrite whoever is asked to re-time; a load only when BuildKit is.
        Assert.IsFalse((Request(OutputMode.Push) with { PushThroughEngine = true }).RetimesInSdk);
        var request = Request(output) with { PushThroughEngine = true, TimestampRewrite = TimestampRewriter.BuildKit };
        Assert.IsFalse(request.RetimesInSdk);
        Assert.IsFalse(request.PushesLayoutFolder);
        Assert.IsTrue(request.UsesStagingArchive);
        Assert.IsTrue(request.StreamsStagingArchive);
        Assert.AreEqual("type=oci,dest=-,rewrite-timestamp=true,\"name=reg.example/app:1,reg.example/app:latest\"", Output(request));
        var unstreamed = request with { StreamStagingArchive = false };
        Assert.IsFalse(unstreamed.StreamsStagingArchive);
        Assert.AreEqual("/obj/meta.json.oci.tar", unstreamed.StagingArchivePath);
        Assert.AreEqual("type=oci,dest=/obj/meta.json.oci.tar,rewrite-timestamp=true,\"name=reg.example/app:1,reg.example/app:latest\"", Output(unstreamed));
    }

    [TestMethod]
    public void APushIsBuiltIntoTheLayoutFolderBesideTheMetadataFile()
    {
        var request = Request(OutputMode.Push) with { Compression = LayerCompression.Zstd };
        Assert.IsTrue(request.UsesStagingArchive);
        Assert.IsTrue(request.PushesLayoutFolder);
        Assert.IsFalse(request.StreamsStagingArchive);
        Assert.AreEqual(Path.Combine("/obj", "oci-layout"), request.OciLayoutPath);
        Assert.AreEqual("type=oci,tar=false,dest=/obj/oci-layout,rewrite-timestamp=true,\"name=reg.example/app:1,reg.example/app:latest\"," +
            "compression=zstd,force-compression=true", Output(request));
        Assert.IsFalse((Request(OutputMode.Load)).PushesLayoutFolder, "a load must reach the engine");
    }

    [TestMethod]
    public void ABuilderThatRewritesTimestampsPushesDirectly()
    {
        var request = Request(OutputMode.Push) with { RewriteTimestamp = true };
        Assert.IsFalse(request.UsesStagingArchive);
        Assert.AreEqual("type=image,push=true,rewrite-timestamp=true", Output(request));
        Assert.AreEqual("type=docker,rewrite-timestamp=true", Output(request with { Output = OutputMode.Load }));
    }

    [TestMethod]
    public void StagingOffOrNoEpochGivesThePlainFlags()
    {
        var unstaged = BuildxArguments.Create(Request(OutputMode.Push) with { StageThroughOciArchive = false }).ToList();
        CollectionAssert.Contains(unstaged, "--push");
        CollectionAssert.Contains(unstaged, "SOURCE_DATE_EPOCH=0");
        var noEpoch = BuildxArguments.Create(Request(OutputMode.Load) with { SourceDateEpoch = null }).ToList();
        CollectionAssert.Contains(noEpoch, "--load");
        CollectionAssert.DoesNotContain(noEpoch, "--build-arg");
        Assert.IsFalse((Request(OutputMode.Load) with { SourceDateEpoch = null }).UsesStagingArchive);
    }

    [TestMethod]
    public void ADockerArchiveIsRewrittenByBuildKit()
    {
        Assert.IsFalse(Request(OutputMode.DockerArchive).UsesStagingArchive);
        Assert.IsFalse(Request(OutputMode.DockerArchive).RetimesInSdk);
        Assert.AreEqual("type=docker,dest=/out/image.tar,rewrite-timestamp=true", Output(Request(OutputMode.DockerArchive)));
        Assert.AreEqual("type=oci,dest=/out/image.tar,rewrite-timestamp=true",
            Output(Request(OutputMode.OciArchive) with { TimestampRewrite = TimestampRewriter.BuildKit }));
    }

    [TestMethod]
    [DataRow(OutputMode.Load)]
    [DataRow(OutputMode.OciArchive)]
    public void ALoadAndAnOciArchiveAreBuiltIntoTheLayoutFolderAsThePushIs(OutputMode output)
    {
        var request = Request(output);
        Assert.IsTrue(request.RetimesInSdk);
        Assert.IsFalse(request.PushesLayoutFolder);
        Assert.AreEqual("type=oci,tar=false,dest=/obj/oci-layout,\"name=reg.example/app:1,reg.example/app:latest\",compression=uncompressed", Output(request));
        Assert.AreEqual(Output(Request(OutputMode.Push)), Output(request));
    }

    [TestMethod]
    public void BuildOnlyStagesNothing()
    {
        Assert.IsFalse(Request(OutputMode.None).UsesStagingArchive);
        Assert.AreEqual("type=cacheonly", Output(Request(OutputMode.None)));
    }

    [TestMethod]
    public void AStagedPushStillNeedsATag()
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => BuildxArguments.Create(Request(OutputMode.Push) with { Tags = [] }));
        Assert.AreEqual(DiagnosticCodes.BuildTagMissing, error.Code);
    }

    [TestMethod]
    public async Task AStagedPushThroughAFileLoadsThenPushesEveryTagAndReportsThePushedDigestAndDeletesTheArchive()
    {
        using var folder = new TempDirectory();
        var log = Path.Combine(folder.Path, "calls.txt");
        const string pushed = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        // A docker that records each call; buildx writes the archive and another digest into the metadata.
        var docker = folder.WriteExecutable("docker", "#!/bin/sh\n" +
            $"echo \"$*\" >> '{log}'\n" +
            "[ \"$1 $2\" = 'buildx version' ] && exit 0\n" +
            "if [ \"$1\" = buildx ]; then\n" +
            "  while [ $# -gt 0 ]; do case \"$1\" in --metadata-file) meta=$2;; esac; shift; done\n" +
            "  echo archive > \"$meta.oci.tar\"\n" +
            "  echo '{\"containerimage.digest\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\"}' > \"$meta\"\n" +
            "  exit 0\nfi\n" +
            $"[ \"$1\" = push ] && echo \"${{2##*:}}: digest: {pushed} size: 528\"\n" +
            "exit 0\n");
        var request = Request(OutputMode.Push) with { MetadataFile = Path.Combine(folder.Path, "obj", "meta.json"), StreamStagingArchive = false, PushThroughEngine = true };

        var result = await new BuildRunner(docker).RunAsync(request, _ => { });

        Assert.AreEqual(pushed, result.Digest, "the digest is what the registry answered to the push");
        var calls = File.ReadAllLines(log).Where(l => !l.StartsWith("buildx", StringComparison.Ordinal)).ToArray();
        CollectionAssert.AreEqual(new[] { "load --input " + request.StagingArchivePath, "push reg.example/app:1", "push reg.example/app:latest" }, calls);
        Assert.IsFalse(File.Exists(request.StagingArchivePath), "the staged archive is a full copy of the image: deleted");
    }

    [TestMethod]
    public async Task AFailedLoadIsAFailedBuild()
    {
        using var folder = new TempDirectory();
        var docker = folder.WriteExecutable("docker", "#!/bin/sh\n[ \"$1\" = load ] && { echo 'cannot load' >&2; exit 4; }\nexit 0\n");
        var request = Request(OutputMode.Load) with { MetadataFile = Path.Combine(folder.Path, "meta.json"), TimestampRewrite = TimestampRewriter.BuildKit };
        var result = await new BuildRunner(docker).RunAsync(request, _ => { });
        Assert.AreEqual(4, result.ExitCode);
        Assert.AreEqual(BuildStep.Load, result.FailedStep);
        CollectionAssert.Contains(result.LastLines.ToList(), "cannot load");
    }

    [TestMethod]
    [DataRow("v1: digest: sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa size: 1008", "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [DataRow("e79b08382d39: Pushed", null)]
    [DataRow("digest: sha256:short size: 1", null)]
    public void ThePushedDigestIsReadFromDockerPushsLastLine(string line, string? expected)
        => Assert.AreEqual(expected, BuildRunner.PushedDigest(line));

    [TestMethod]
    [DataRow(false, "110100100")]
    [DataRow(true, "111101101")]
    public void NormalModesAre0644And0755(bool executable, string bits)
        => Assert.AreEqual(Convert.ToInt32(bits, 2), (int)ContextWriter.NormalMode(executable));
}
