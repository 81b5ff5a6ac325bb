using ContainerImage.Tasks;
using static ContainerImage.Tests.Tasks.ImageItemMapperTests;

namespace ContainerImage.Tests.Tasks;

/// <summary>
/// The stamp's inputs walk started early (StartOnly, as the restore pass runs it): the stamp is byte-for-byte the
/// one a plain run writes, the early list is used only for the same definition, and a failed or foreign walk is
/// never used.
/// </summary>
[TestClass]
[DoNotParallelize] // InputsWalkPrefetch is process-wide.
public sealed class EarlyInputsWalkTests
{
    private const string EarlyMessage = "Image input files listed by the walk started early.";

    private static string NewProject()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cimg-early-walk", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "src", "pkg"));
        for (var i = 0; i < 50; i++) File.WriteAllText(Path.Combine(directory, "src", "pkg", $"m{i}.py"), $"print({i})\n");
        File.WriteAllText(Path.Combine(directory, "src", ".dockerignore"), "*.log\n");
        var project = Path.Combine(directory, "Image.csproj");
        File.WriteAllText(project, "<Project />");
        return project;
    }

    private static ComputeImageInputsStamp Stamp(string project, RecordingBuildEngine engine, string stampFile, bool startOnly, string destination = "/app") => new()
    {
        BuildEngine = engine,
        ProjectFile = project,
        StampFile = stampFile,
        StartOnly = startOnly,
        ImageBaseUri = "127.0.0.1:5000/local/busybox:static",
        Layers = [Layer(Path.Combine(Path.GetDirectoryName(project)!, "src"), "SourceFolder", ("Destination", destination))],
    };

    private static bool Logged(RecordingBuildEngine engine, string message) => engine.Messages.Any(m => m.Message == message);

    [TestMethod]
    public void TheStampFromTheEarlyWalkIsTheStampOfAPlainRunAndStartOnlyWritesNothing()
    {
        var project = NewProject();
        var directory = Path.GetDirectoryName(project)!;
        var plainFile = Path.Combine(directory, "plain.stamp");
        var plain = new RecordingBuildEngine();
        Assert.IsTrue(Stamp(project, plain, plainFile, startOnly: false).Execute());
        Assert.IsFalse(Logged(plain, EarlyMessage));

        var earlyFile = Path.Combine(directory, "early.stamp");
        var early = new RecordingBuildEngine();
        Assert.IsTrue(Stamp(project, early, earlyFile, startOnly: true).Execute());
        Assert.IsFalse(File.Exists(earlyFile), "the start only starts the walk");
        Assert.IsTrue(Stamp(project, early, earlyFile, startOnly: false).Execute());
        Assert.IsTrue(Logged(early, EarlyMessage), "the run after the start takes its list");
        Assert.AreEqual(File.ReadAllText(plainFile), File.ReadAllText(earlyFile));

        // Consumed once: the next run walks itself, and a file changed since shows in its stamp.
        File.AppendAllText(Path.Combine(directory, "src", "pkg", "m7.py"), "# edited\n");
        var next = new RecordingBuildEngine();
        Assert.IsTrue(Stamp(project, next, earlyFile, startOnly: false).Execute());
        Assert.IsFalse(Logged(next, EarlyMessage));
        Assert.AreNotEqual(File.ReadAllText(plainFile), File.ReadAllText(earlyFile));
    }

    [TestMethod]
    public void AnotherDefinitionDoesNotTakeTheEarlyList()
    {
        var project = NewProject();
        var directory = Path.GetDirectoryName(project)!;
        var engine = new RecordingBuildEngine();
        Assert.IsTrue(Stamp(project, engine, Path.Combine(directory, "s"), startOnly: true, destination: "/app").Execute());
        Assert.IsTrue(Stamp(project, engine, Path.Combine(directory, "s"), startOnly: false, destination: "/srv").Execute());
        Assert.IsFalse(Logged(engine, EarlyMessage), "the item's metadata changed between the start and the stamp");

        var fresh = new RecordingBuildEngine();
        Assert.IsTrue(Stamp(project, fresh, Path.Combine(directory, "fresh"), startOnly: false, destination: "/srv").Execute());
        Assert.AreEqual(File.ReadAllText(Path.Combine(directory, "fresh")), File.ReadAllText(Path.Combine(directory, "s")));
    }

    [TestMethod]
    public void AFailedOrForeignWalkIsNoList()
    {
        InputsWalkPrefetch.Start("k1", () => throw new IOException("disk gone"));
        Assert.IsNull(InputsWalkPrefetch.TryTake("k1"), "a failed walk is no list: the stamp walks itself");

        InputsWalkPrefetch.Start("k2", () => ["a|1|2"]);
        Assert.IsNull(InputsWalkPrefetch.TryTake("other"));
        CollectionAssert.AreEqual(new[] { "a|1|2" }, InputsWalkPrefetch.TryTake("k2")!.ToArray());
        Assert.IsNull(InputsWalkPrefetch.TryTake("k2"), "consumed once");
    }
}
