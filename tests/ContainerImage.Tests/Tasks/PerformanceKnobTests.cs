using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tasks;

namespace ContainerImage.Tests.Tasks;

/// <summary>
/// The MSBuild knobs of docs/performance.md: ChunkBytes on a SourceFolder item reaches the generated Dockerfile
/// (one COPY per chunk), and ImageLayerCompression reaches the buildx command line.
/// </summary>
[TestClass]
public sealed class PerformanceKnobTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cimg-perf-knobs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "App.csproj"), "<Project />");
    }

    [TestCleanup]
    public void RemoveFolder() => Directory.Delete(_directory, recursive: true);

    // A source folder of 'count' files of 'size' bytes each (a.bin, b.bin, ...).
    private string SourceFolder(int count, int size)
    {
        var folder = Path.Combine(_directory, "src");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++) File.WriteAllBytes(Path.Combine(folder, (char)('a' + i) + ".bin"), new byte[size]);
        return folder;
    }

    private string GenerateDockerfile(string? chunkBytes, RecordingBuildEngine engine, out bool succeeded)
    {
        var metadata = chunkBytes is null ? [("Destination", "/app")] : new[] { ("Destination", "/app"), ("ChunkBytes", chunkBytes) };
        var task = new GenerateImageDefinition
        {
            BuildEngine = engine,
            ProjectFile = Path.Combine(_directory, "App.csproj"),
            IntermediateOutputPath = Path.Combine(_directory, "obj"),
            ImageBaseUri = "127.0.0.1:5000/local/busybox:static",
            ImageName = "knobs",
            Layers = [ImageItemMapperTests.Layer(SourceFolder(4, 1024), "SourceFolder", metadata)],
        };
        succeeded = task.Execute();
        var dockerfile = Path.Combine(_directory, "obj", "knobs", "Dockerfile");
        return succeeded ? File.ReadAllText(dockerfile) : "";
    }

    private static string[] CopyLines(string dockerfile) => dockerfile.Split('\n').Where(l => l.StartsWith("COPY", StringComparison.Ordinal)).ToArray();

    [TestMethod]
    public void ChunkBytesOnASourceFolderSplitsItsCopyAndZeroOrTheDefaultKeepsOne()
    {
        // 4 files of 1 KiB with 2 KiB chunks: two COPY instructions of two files each.
        var chunked = GenerateDockerfile("2KiB", new RecordingBuildEngine(), out var ok);
        Assert.IsTrue(ok);
        CollectionAssert.AreEqual(new[] { "COPY [\"layers/0/part0/\", \"/app/\"]", "COPY [\"layers/0/part1/\", \"/app/\"]" }, CopyLines(chunked), chunked);
        Directory.Delete(Path.Combine(_directory, "obj"), recursive: true);
        Directory.Delete(Path.Combine(_directory, "src"), recursive: true);
        Assert.AreEqual(1, CopyLines(GenerateDockerfile("0", new RecordingBuildEngine(), out ok)).Length);
        Assert.IsTrue(ok);
        Directory.Delete(Path.Combine(_directory, "obj"), recursive: true);
        Directory.Delete(Path.Combine(_directory, "src"), recursive: true);
        Assert.AreEqual(1, CopyLines(GenerateDockerfile(null, new RecordingBuildEngine(), out ok)).Length, "4 KiB is far below the 128 MiB default");
        Assert.IsTrue(ok);
    }

    [TestMethod]
    public void AChunkedFolderAlsoGetsDockerfileLinkedInTheRecordAndLosesItWhenNoLongerChunked()
    {
        var chunked = GenerateDockerfile("2KiB", new RecordingBuildEngine(), out var ok);
        Assert.IsTrue(ok);
        var folder = Path.Combine(_directory, "obj", "knobs");
        var linkedPath = Path.Combine(folder, "Dockerfile.linked");
        CollectionAssert.AreEqual(new[] { "COPY [\"layers/0/part0/\", \"/app/\"]", "COPY --link [\"layers/0/part1/\", \"/app/\"]" },
            CopyLines(File.ReadAllText(linkedPath)));
        var record = ImageDefinitionRecord.Read(Path.Combine(folder, "image.json"));
        Assert.AreEqual(linkedPath, record.LinkedDockerfilePath);
        Assert.AreEqual(new ContainerImage.Build.LinkedChunk("layers/0/part1/", "/app/", "layers/0/part0/"), record.LinkedChunks!.Single());
        Assert.AreEqual(2, CopyLines(chunked).Length, "the image's own Dockerfile keeps its plain chunks");

        Directory.Delete(Path.Combine(_directory, "src"), recursive: true);
        GenerateDockerfile("0", new RecordingBuildEngine(), out ok);
        Assert.IsTrue(ok);
        Assert.IsFalse(File.Exists(linkedPath), "a stale Dockerfile.linked is removed");
        Assert.IsNull(ImageDefinitionRecord.Read(Path.Combine(folder, "image.json")).LinkedDockerfilePath);
    }

    [TestMethod]
    [DataRow("1024", 1024L)]
    [DataRow(" 3 MiB ", 3L << 20)]
    [DataRow("1gib", 1L << 30)]
    [DataRow("0", 0L)]
    [DataRow("", SourceFolderLayer.DefaultChunkBytes)]
    public void ChunkBytesAcceptsBytesWithABinarySuffix(string text, long expected)
    {
        var mapped = ImageItemMapper.Map(new Dictionary<string, string?> { ["ImageBaseUri"] = "debian:12" },
            [ImageItemMapperTests.Layer("src", "SourceFolder", ("ChunkBytes", text))], [], _directory);
        Assert.AreEqual(expected, ((SourceFolderLayer)mapped.Image.Layers.Single()).ChunkBytes);
    }

    [TestMethod]
    [DataRow("-1")]
    [DataRow("12 MB")]
    [DataRow("lots")]
    [DataRow("99999999999GiB")]
    public void ChunkBytesThatIsNotASizeIsACodedErrorAtTheItem(string text)
    {
        var error = Assert.ThrowsExactly<ItemMappingException>(() => ImageItemMapper.Map(new Dictionary<string, string?> { ["ImageBaseUri"] = "debian:12" },
            [ImageItemMapperTests.Layer("src", "SourceFolder", ("ChunkBytes", text))], [], _directory));
        Assert.AreEqual(DiagnosticCodes.InvalidChunkBytes, error.Code);
        Assert.AreEqual("src", error.Item?.Item.ItemSpec);
        StringAssert.Contains(error.Message, "128MiB");
    }

    // PublishImage with a stand-in docker CLI that records its arguments, one per line.
    private (bool Succeeded, string[] Arguments, RecordingBuildEngine Engine) Publish(string? compression, string? timestampRewrite = null)
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("The stand-in docker CLI is a POSIX shell script.");
        File.WriteAllText(Path.Combine(_directory, "Dockerfile"), "FROM scratch\n");
        var definition = new ImageDefinitionRecord("cimg-perf-knobs:abc", "abc", null, Path.Combine(_directory, "Dockerfile"), _directory, ["linux/amd64"], []);
        File.WriteAllText(Path.Combine(_directory, "image.json"), definition.ToJson());
        var arguments = Path.Combine(_directory, "arguments.txt");
        var script = Path.Combine(_directory, "fake-docker.sh");
        File.WriteAllText(script, "#!/bin/sh\nif [ \"$1 $2\" = \"buildx version\" ]; then echo 'buildx v0.13.1'; exit 0; fi\n"
            + $"for a in \"$@\"; do echo \"$a\" >> '{arguments}'; [ \"$previous\" = --metadata-file ] && "
            + "printf '{\"containerimage.digest\": \"sha256:%064d\"}' 0 > \"$a\"; previous=$a; done\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var engine = new RecordingBuildEngine();
        var task = new PublishImage
        {
            BuildEngine = engine,
            ProjectFile = Path.Combine(_directory, "App.csproj"),
            DefinitionFiles = [Path.Combine(_directory, "image.json")],
            ImageDockerCommand = script,
            ImageOutput = "load",
            ImageReproducible = "false",
            ImageLayerCompression = compression,
            ImageTimestampRewrite = timestampRewrite,
        };
        var succeeded = task.Execute();
        return (succeeded, File.Exists(arguments) ? File.ReadAllLines(arguments) : [], engine);
    }

    [TestMethod]
    [DataRow("Zstd", "compression=zstd,force-compression=true")]
    [DataRow("gzip", "compression=gzip,force-compression=true")]
    public void ImageLayerCompressionReachesTheBuildxOutput(string property, string expected)
    {
        var (succeeded, arguments, engine) = Publish(property);
        Assert.IsTrue(succeeded, string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.IsTrue(arguments.Any(a => a.StartsWith("type=docker", StringComparison.Ordinal) && a.Contains(expected, StringComparison.Ordinal)),
            string.Join("\n", arguments));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("Default")]
    public void DefaultCompressionLeavesBuildxItsOwn(string? property)
    {
        var (succeeded, arguments, _) = Publish(property);
        Assert.IsTrue(succeeded);
        Assert.IsTrue(arguments.Contains("build"), string.Join("\n", arguments));
        Assert.IsFalse(arguments.Any(a => a.Contains("compression=", StringComparison.Ordinal)), string.Join("\n", arguments));
    }

    [TestMethod]
    public void AnUnknownCompressionIsACodedPropertyError()
    {
        var (succeeded, arguments, engine) = Publish("brotli");
        Assert.IsFalse(succeeded);
        Assert.AreEqual(0, arguments.Length, "nothing is built");
        var error = engine.Errors.Single();
        Assert.AreEqual(DiagnosticCodes.InvalidProperty, error.Code);
        StringAssert.Contains(error.Message, "use Default, Gzip or Zstd");
    }

    [TestMethod]
    public void AnUnknownTimestampRewriterIsACodedPropertyError()
    {
        var (succeeded, arguments, engine) = Publish(null, "Kernel");
        Assert.IsFalse(succeeded);
        Assert.AreEqual(0, arguments.Length, "nothing is built");
        var error = engine.Errors.Single();
        Assert.AreEqual(DiagnosticCodes.InvalidProperty, error.Code);
        StringAssert.Contains(error.Message, "use BuildKit or Sdk");
    }
}
