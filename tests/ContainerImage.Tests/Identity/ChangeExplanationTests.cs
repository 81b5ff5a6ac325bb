using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>Each kind of edit a user makes reads back as one recognisable line (and as data).</summary>
[TestClass]
public sealed class ChangeExplanationTests
{
    private static string FixedDockerfile(Image image, ContextPlan plan) => "FROM fixed\n";

    private static ImageIdentity Identity(Image image) => ImageIdentifier.Compute(image, FixedDockerfile);

    private static string[] Explain(Image before, Image after)
        => Identity(after).DescribeChangesSince(ImageIdentity.FromJson(Identity(before).ToJson())!).ToArray();

    private static Image Busybox(TempTree tree) => Image.FromBase("127.0.0.1:5000/local/busybox:static")
        .WithSourceFolder(tree.Path_("app"), "/srv/app");

    private static TempTree Project()
    {
        var tree = new TempTree();
        tree.Write("app/main.py", "print('hi')");
        tree.Write("app/util.py", "X = 1");
        tree.Write("extra/a.txt", "a");
        return tree;
    }

    [TestMethod]
    public void UnchangedInputsExplainNothing()
    {
        using var tree = Project();
        Assert.AreEqual(0, Explain(Busybox(tree), Busybox(tree)).Length);
    }

    [TestMethod]
    public void FilesChangedAddedRemovedAndMadeExecutableAreNamedWithTheirLayer()
    {
        using var tree = Project();
        var before = Identity(Busybox(tree));
        tree.Write("app/main.py", "print('changed')");
        tree.Write("app/new.py", "");
        File.Delete(tree.Path_("app/util.py"));
        var changes = Identity(Busybox(tree)).ExplainChangesSince(before);
        CollectionAssert.AreEqual(new[]
        {
            "layer 0 (SourceFolder app -> /srv/app): main.py changed",
            "layer 0 (SourceFolder app -> /srv/app): new.py added",
            "layer 0 (SourceFolder app -> /srv/app): util.py removed",
        }, changes.Select(c => c.Message).ToArray());
        CollectionAssert.AreEqual(new[] { ImageChange.FileChangedKind, ImageChange.FileAddedKind, ImageChange.FileRemovedKind }, changes.Select(c => c.Kind).ToArray());
        Assert.IsTrue(changes.All(c => c.Layer == 0));

        if (!OperatingSystem.IsWindows())
        {
            var again = Identity(Busybox(tree));
            File.SetUnixFileMode(tree.Path_("app/main.py"), File.GetUnixFileMode(tree.Path_("app/main.py")) | UnixFileMode.UserExecute);
            CollectionAssert.AreEqual(new[] { "layer 0 (SourceFolder app -> /srv/app): main.py execute bit changed" },
                Identity(Busybox(tree)).DescribeChangesSince(again).ToArray());
        }
    }

    [TestMethod]
    public void ALayerInsertedAtTheTopIsAddedAndTheOthersAreNotReportedAsChanged()
    {
        using var tree = Project();
        var before = Busybox(tree).WithWorkdir("/srv");
        var after = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithSourceFile(tree.Path_("extra/a.txt"), "/etc/")
            .WithSourceFolder(tree.Path_("app"), "/srv/app").WithWorkdir("/srv");
        var changes = Identity(after).ExplainChangesSince(Identity(before));
        Assert.AreEqual(1, changes.Count, string.Join("\n", changes));
        Assert.AreEqual(new ImageChange(ImageChange.LayerAddedKind, 0, "layer 0 (SourceFile a.txt -> /etc/) added"), changes[0]);
    }

    [TestMethod]
    public void ARemovedLayerIsNamedWithItsFormerPosition()
    {
        using var tree = Project();
        var before = Busybox(tree).WithWorkdir("/srv").WithCommand("sh");
        var after = Busybox(tree).WithCommand("sh");
        CollectionAssert.AreEqual(new[] { "layer 1 (Workdir /srv) removed" }, Explain(before, after));
    }

    [TestMethod]
    public void SwappedLayersAreReportedAsMoved()
    {
        using var tree = Project();
        var before = Busybox(tree).WithWorkdir("/srv");
        var after = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithWorkdir("/srv").WithSourceFolder(tree.Path_("app"), "/srv/app");
        CollectionAssert.AreEqual(new[]
        {
            "layer 0 (Workdir /srv) moved from layer 1",
            "layer 1 (SourceFolder app -> /srv/app) moved from layer 0",
        }, Explain(before, after));
    }

    [TestMethod]
    public void AnEditedPackageListShowsTheListBeforeAndAfter()
    {
        var before = Image.FromDebianBase().WithAptPackages("git");
        var after = Image.FromDebianBase().WithAptPackages("git", "curl");
        var changes = Identity(after).ExplainChangesSince(Identity(before));
        Assert.AreEqual(new ImageChange(ImageChange.LayerParametersKind, 0, "layer 0 (AptPackages git, curl): packages git -> git, curl"), changes.Single());
    }

    [TestMethod]
    public void ADestinationChangeShowsBothPaths()
    {
        using var tree = Project();
        var after = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithSourceFolder(tree.Path_("app"), "/opt/app");
        CollectionAssert.AreEqual(new[] { "layer 0 (SourceFolder app -> /opt/app): destination /srv/app -> /opt/app" }, Explain(Busybox(tree), after));
    }

    [TestMethod]
    public void EnvironmentVariablesAreNamedButTheirValuesAreNeverPrinted()
    {
        using var tree = Project();
        var before = Busybox(tree).WithEnvVars([new("MODE", "prod-value-1"), new("OLD", "old-value-2")]);
        var after = Busybox(tree).WithEnvVars([new("MODE", "prod-value-3"), new("NEW", "new-value-4")]);
        var lines = Explain(before, after);
        CollectionAssert.AreEqual(new[]
        {
            "layer 1 (EnvVars MODE, NEW): environment variable MODE changed",
            "layer 1 (EnvVars MODE, NEW): environment variable NEW added",
            "layer 1 (EnvVars MODE, NEW): environment variable OLD removed",
        }, lines);
        Assert.IsFalse(lines.Any(l => l.Contains("-value-", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void LabelValuesAndIndexUrlsAreNotPrintedEither()
    {
        var before = Image.FromDebianBase().WithPipPackages(["numpy"], new PipOptions { IndexUrl = "https://user:tok3n@pypi.example/simple" })
            .WithLabels([new("team", "alpha")]);
        var after = Image.FromDebianBase().WithPipPackages(["numpy"], new PipOptions { IndexUrl = "https://user:tok4n@pypi.example/simple" })
            .WithLabels([new("team", "beta")]);
        var lines = Explain(before, after);
        CollectionAssert.AreEqual(new[] { "layer 0 (PipPackages numpy): index URL changed", "layer 1 (Labels team): label team changed" }, lines);
    }

    [TestMethod]
    public void PlatformsChangedListsBothSets()
    {
        using var tree = Project();
        var after = Busybox(tree).WithPlatforms([Platform.LinuxAmd64, Platform.LinuxArm64]);
        var change = Identity(after).ExplainChangesSince(Identity(Busybox(tree))).Single();
        Assert.AreEqual(new ImageChange(ImageChange.PlatformsKind, null, "platforms changed: linux/amd64 -> linux/amd64, linux/arm64"), change);
    }

    [TestMethod]
    public void APythonVersionChangeIsOneLineEvenThoughTheDefaultBaseImageNamesIt()
    {
        var before = Image.FromDebianBase(PythonVersion.Parse("3.11"));
        var after = Image.FromDebianBase(PythonVersion.Parse("3.12"));
        var change = Identity(after).ExplainChangesSince(Identity(before)).Single();
        Assert.AreEqual(new ImageChange(ImageChange.PythonKind, null, "python version 3.11 -> 3.12"), change);
    }

    [TestMethod]
    public void ARepinnedBaseReadsAsTheDigestMoving()
    {
        const string first = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        const string second = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static");
        CollectionAssert.AreEqual(new[] { "base image digest moved (127.0.0.1:5000/local/busybox:static: sha256:111111111111 -> sha256:222222222222)" },
            Explain(image.WithPinnedBase(first), image.WithPinnedBase(second)));
        CollectionAssert.AreEqual(new[] { "base image 127.0.0.1:5000/local/busybox:static -> 127.0.0.1:5000/local/debian:bookworm" },
            Explain(image, Image.FromBase("127.0.0.1:5000/local/debian:bookworm")));
    }

    [TestMethod]
    public void BaseKindInstallerAndDebianSettingsAreNamed()
    {
        CollectionAssert.AreEqual(new[] { "base image 127.0.0.1:5000/local/busybox:static -> Debian python:3.12-slim-bookworm" },
            Explain(Image.FromBase("127.0.0.1:5000/local/busybox:static"), Image.FromDebianBase(platforms: [Platform.LinuxAmd64])).Select(l => l.Replace("docker.io/library/", "")).ToArray());
        CollectionAssert.AreEqual(new[] { "python installer uv -> pip" },
            Explain(Image.FromDebianBase(), Image.FromDebianBase().WithPythonInstaller(PythonInstaller.Pip)));
        CollectionAssert.AreEqual(new[] { "user app -> worker" },
            Explain(Image.FromDebianBase(), Image.FromDebianBase().WithDebianBase(d => d with { User = "worker" })));
        var withGit = Image.FromDebianBase().WithDebianBase(d => d with { AptPackages = new[] { "git" }.ToValueArray() });
        CollectionAssert.AreEqual(new[] { "base apt packages git -> git, curl" },
            Explain(withGit, withGit.WithDebianBase(d => d with { AptPackages = new[] { "git", "curl" }.ToValueArray() })));
    }

    [TestMethod]
    public void OnlyAChangedGeneratedDockerfileSaysSo()
    {
        using var tree = Project();
        var before = ImageIdentifier.Compute(Busybox(tree), (_, _) => "FROM a\n");
        var after = ImageIdentifier.Compute(Busybox(tree), (_, _) => "FROM b\n");
        Assert.AreEqual(ImageChange.DockerfileKind, after.ExplainChangesSince(before).Single().Kind);
    }
}
