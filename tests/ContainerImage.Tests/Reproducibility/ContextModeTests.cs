using ContainerImage.Context;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;
using static ContainerImage.Tests.Reproducibility.ReproducibleBuild;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>The context writer gives files 0644/0755 by execute bit and folders 0755, without touching the sources.</summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ContextModeTests
{
    private static readonly UnixFileMode Plain = ContextWriter.NormalMode(false);
    private static readonly UnixFileMode Executable = ContextWriter.NormalMode(true);

    private static (string Context, ContextPlan Plan) Write(string root, Machine machine, IEnumerable<SourceFile>? files = null)
    {
        SourceTree(Path.Combine(root, "src"), files ?? Files, machine);
        var plan = ContextPlanner.Plan(Image.FromBase(Engine.BusyboxImage).WithSourceFolder(Path.Combine(root, "src"), "/app"));
        var context = Path.Combine(root, "context");
        ContextWriter.Write(plan, context);
        return (context, plan);
    }

    private static UnixFileMode ModeOf(string context, string relative) => File.GetUnixFileMode(Path.Combine(context, "layers", "0", relative));

    [TestMethod]
    [DataRow("private")]
    [DataRow("group-writable")]
    public void UmaskBitsAreNormalizedInTheContextAndTheSourcesKeepTheirs(string which)
    {
        var machine = which == "private" ? Private : Second;
        using var work = new TempDirectory("cimg-repro-modes");
        var (context, _) = Write(work.Path, machine);

        Assert.AreEqual(Plain, ModeOf(context, "app.py"));
        Assert.AreEqual(Executable, ModeOf(context, "run.sh"));
        Assert.AreEqual(Plain, ModeOf(context, "conf/settings.yaml"));
        Assert.AreEqual(Executable, ModeOf(context, "conf"), "folders are copied with their mode too");
        Assert.AreEqual(machine.PlainMode, File.GetUnixFileMode(Path.Combine(work.Path, "src", "app.py")), "the source is never chmod-ed");
        Assert.AreEqual(machine.ExecutableMode, File.GetUnixFileMode(Path.Combine(work.Path, "src", "run.sh")));
    }

    [TestMethod]
    public void ASourceWithTheNormalModeIsStillHardLinked()
    {
        using var work = new TempDirectory("cimg-repro-modes");
        var (context, plan) = Write(work.Path, First);
        // A hard link is the same file: writing through the source shows in the context.
        File.AppendAllText(Path.Combine(work.Path, "src", "app.py"), "# more\n");
        StringAssert.EndsWith(File.ReadAllText(Path.Combine(context, "layers", "0", "app.py")), "# more\n");
        var again = ContextWriter.Write(plan, context);
        Assert.AreEqual(0, again.FilesWritten);
    }

    [TestMethod]
    public void AnUnchangedCopiedFileIsNotRewrittenButAnExecuteBitChangeIs()
    {
        using var work = new TempDirectory("cimg-repro-modes");
        var (context, plan) = Write(work.Path, Private);
        Assert.AreEqual(0, ContextWriter.Write(plan, context).FilesWritten, "copies with the normal mode are up to date");

        var source = Path.Combine(work.Path, "src", "app.py");
        File.SetUnixFileMode(source, (UnixFileMode)0b111_000_000);
        var replanned = ContextPlanner.Plan(Image.FromBase(Engine.BusyboxImage).WithSourceFolder(Path.Combine(work.Path, "src"), "/app"));
        var result = ContextWriter.Write(replanned, context);
        Assert.AreEqual(1, result.FilesWritten);
        Assert.AreEqual(Executable, ModeOf(context, "app.py"));
    }
}
