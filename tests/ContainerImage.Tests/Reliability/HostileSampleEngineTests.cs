using System.Text;
using System.Text.Json;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;
using Docker = ContainerImage.Tests.Dockerfile.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// The accepted side of the hostile-input tests, built for real: a seeded sample of generated values the
/// model accepts goes into a few busybox images through the C# API, and each image must hold exactly what
/// was declared: environment values and the working directory in its config, the text each command was
/// declared to write, and every oddly named file with its bytes.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class HostileSampleEngineTests
{
    // Fixed: the same values every run, so a failure names values that can be replayed.
    private const ulong Seed = 20261127;
    private const int Candidates = 60;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AcceptedGeneratedValuesAreBuiltIntoImagesExactlyAsDeclared()
    {
        await Engine.RequireAsync();
        var sample = HostileSample.Draw(Seed, Candidates);
        TestContext.WriteLine($"{Candidates} candidates: {sample.EnvValues.Count} env values, {sample.Workdirs.Count} workdirs, " +
                              $"{sample.CommandTexts.Count} command texts, {sample.FileNames.Count} file names accepted; {sample.Refused} refusals (coded)");
        Assert.IsTrue(sample.EnvValues.Count >= 12 && sample.CommandTexts.Count >= 12 && sample.FileNames.Count >= 12 && sample.Workdirs.Count >= 2,
            "the seeded sample reaches every kind of value");

        // The sample must hold what the brief fears most, or an all-ASCII draw would prove little.
        var declaredTexts = sample.EnvValues.Concat(sample.CommandTexts).Concat(sample.FileNames).ToList();
        foreach (var (what, test) in new (string, Func<string, bool>)[]
        {
            ("non-ASCII", v => v.Any(c => c > 127)), ("a double quote", v => v.Contains('"')), ("a single quote", v => v.Contains('\'')),
            ("a '$'", v => v.Contains('$')), ("a backslash", v => v.Contains('\\')), ("a tab or control character", v => v.Any(char.IsControl)),
        })
        {
            var count = declaredTexts.Count(test);
            TestContext.WriteLine($"  values with {what}: {count}");
            Assert.IsTrue(count > 0, "the sample holds values with " + what);
        }

        // One image per working directory (an image has one); the other values are spread over them.
        var images = Math.Min(3, sample.Workdirs.Count);
        var repository = Engine.UniqueRepository("cimg-hostile");
        using var files = new TempDirectory("cimg-hostile-files");
        var built = 0;
        for (var i = 0; i < images; i++)
        {
            var declared = Slice(sample, i, images);
            var image = declared.Declare(Image.FromBase(HostileModelTests.BusyboxBase, Engine.RegistryAddress, repository),
                Path.Combine(files.Path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var (_, digest) = await ImagePublisher.PushAsync(image);
            var uri = image.Uri;
            try
            {
                ImagePublisher.Pull(uri);
                CheckConfig(uri, declared);
                CheckFiles(uri, declared);
                built += declared.Count;
            }
            finally
            {
                ImagePublisher.Remove(uri);
            }
            TestContext.WriteLine($"image {i}: {uri} ({digest}) holds {declared.Count} declared values exactly");
        }
        TestContext.WriteLine($"built and checked: {built} values in {images} images");
    }

    private static DeclaredValues Slice(HostileSample sample, int index, int count)
    {
        static List<string> Part(List<string> all, int index, int count) => all.Where((_, i) => i % count == index).ToList();
        return new DeclaredValues(Part(sample.EnvValues, index, count), sample.Workdirs[index],
            Part(sample.CommandTexts, index, count), Part(sample.FileNames, index, count));
    }

    private static void CheckConfig(string uri, DeclaredValues declared)
    {
        var inspect = Docker.Docker(["image", "inspect", "--format", "{{json .Config}}", uri]);
        Assert.AreEqual(0, inspect.ExitCode, inspect.Error);
        using var config = JsonDocument.Parse(inspect.Output);
        var env = config.RootElement.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToList();
        for (var i = 0; i < declared.EnvValues.Count; i++)
        {
            var expected = $"HOSTILE_{i}={declared.EnvValues[i]}";
            Assert.IsTrue(env.Contains(expected), $"the config holds {HostileModelTests.Show([expected])}; it has {HostileModelTests.Show([.. env])}");
        }
        Assert.AreEqual(declared.Workdir, config.RootElement.GetProperty("WorkingDir").GetString(), "the working directory, exactly as declared");
    }

    // Reads the container's file system as docker export writes it: names and bytes, no shell in between.
    private static void CheckFiles(string uri, DeclaredValues declared)
    {
        var create = Docker.Docker(["create", "--pull=never", uri, "/bin/true"]);
        Assert.AreEqual(0, create.ExitCode, create.Error);
        var container = create.Output.Trim();
        var archive = Path.Combine(Path.GetTempPath(), $"cimg-hostile-{Guid.NewGuid():N}.tar");
        try
        {
            var export = Docker.Docker(["export", "--output", archive, container]);
            Assert.AreEqual(0, export.ExitCode, export.Error);
            var content = TarFiles.Read(archive, HostileSample.Root.TrimStart('/') + "/");
            for (var i = 0; i < declared.CommandTexts.Count; i++)
            {
                Assert.IsTrue(content.TryGetValue($"cmd-{i}", out var written), $"command {i} ran and wrote its marker");
                Assert.AreEqual(declared.CommandTexts[i], Encoding.UTF8.GetString(written), $"command {i} wrote exactly the declared text");
            }
            foreach (var name in declared.FileNames)
            {
                Assert.IsTrue(content.TryGetValue("files/" + name, out var bytes), $"the file {HostileModelTests.Show([name])} was copied; the image has {HostileModelTests.Show([.. content.Keys])}");
                CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(name), bytes, $"the file {HostileModelTests.Show([name])} holds its bytes");
            }
            Assert.IsTrue(content.TryGetValue("pwd", out var pwd), "the command after WORKDIR ran");
            Assert.AreEqual(declared.Workdir, Encoding.UTF8.GetString(pwd), "a RUN step after WORKDIR runs in the declared directory");
        }
        finally
        {
            Docker.Docker(["rm", "--force", container]);
            File.Delete(archive);
        }
    }
}

/// <summary>The values one image declares, and the declaration itself.</summary>
internal sealed record DeclaredValues(List<string> EnvValues, string Workdir, List<string> CommandTexts, List<string> FileNames)
{
    public int Count => EnvValues.Count + 1 + CommandTexts.Count + FileNames.Count;

    /// <summary>
    /// The files (written to <paramref name="folder"/>, each holding its own name), the environment, the
    /// commands that write each text, then the working directory and a command that records where RUN ran.
    /// </summary>
    public Image Declare(Image image, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in FileNames) File.WriteAllText(Path.Combine(folder, name), name);
        return image
            .WithSourceFolder(folder, HostileSample.Root + "/files")
            .WithEnvVars(EnvValues.Select((v, i) => new KeyValuePair<string, string>($"HOSTILE_{i}", v)))
            .WithCommands(CommandTexts.Select(HostileSample.PrintfCommand))
            .WithWorkdir(Workdir)
            .WithCommands([$"pwd | tr -d '\\n' > {HostileSample.Root}/pwd"]);
    }
}
