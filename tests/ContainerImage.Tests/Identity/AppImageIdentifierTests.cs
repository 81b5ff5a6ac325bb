using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>The identifier of app layers, derived images and pinned bases (with the real Dockerfile writer).</summary>
[TestClass]
public sealed class AppImageIdentifierTests
{
    private const string DigestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string DigestB = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly Image Busybox = Image.FromBase("127.0.0.1:5000/local/busybox:static");

    private static string Id(Image image) => ImageIdentifier.Compute(image).Identifier;

    private static Image Parent(TempTree tree) => Image.FromBase("127.0.0.1:5000/local/busybox:static", registry: "127.0.0.1:5000/team", name: "base")
        .WithSourceFile(tree.Path_("etc/greeting"), "/etc/greeting");

    [TestMethod]
    public void AChangeInTheParentChangesTheChild()
    {
        using var tree = new TempTree();
        tree.Write("etc/greeting", "hello");
        var before = Id(Parent(tree).Derive("web").WithEntrypoint("/bin/cat", "/etc/greeting"));
        tree.Write("etc/greeting", "hello again");
        var after = Id(Parent(tree).Derive("web").WithEntrypoint("/bin/cat", "/etc/greeting"));
        Assert.AreNotEqual(before, after, "the parent's file changed, so the child's content changed");
        Assert.AreNotEqual(Id(Parent(tree).Derive()), Id(Parent(tree).WithEnvVars([new("A", "1")]).Derive()), "a parent's layer");
        var grandchild = Parent(tree).Derive("mid").Derive("leaf");
        Assert.AreNotEqual(Id(grandchild), Id(Parent(tree).WithUser("1000").Derive("mid").Derive("leaf")), "changes reach grandchildren");
    }

    [TestMethod]
    public void TheParentsNamingDoesNotChangeTheChild()
    {
        using var tree = new TempTree();
        tree.Write("etc/greeting", "hello");
        var child = Parent(tree).Derive("web");
        var renamedParent = Parent(tree).WithRegistry("ghcr.io/elsewhere").WithName("renamed").WithTag("v9").Derive("web");
        Assert.AreEqual(Id(child), Id(renamedParent), "only the parent's identifier counts, not its registry, name or tag");
        var identity = ImageIdentifier.Compute(child);
        StringAssert.Contains(identity.CanonicalJson, "\"base\":{\"kind\":\"Parent\",\"identifier\":\"" + Id(Parent(tree)) + "\"}");
        Assert.DoesNotContain("127.0.0.1:5000/team", identity.CanonicalJson);
        Assert.AreNotEqual(Id(Parent(tree)), Id(child), "a child with no layers is still another image definition");
    }

    [TestMethod]
    public void LabelAndPortOrderDoNotChangeItButValuesDo()
    {
        var labels = Id(Busybox.WithLabels([new("b", "2"), new("a", "1")]));
        Assert.AreEqual(labels, Id(Busybox.WithLabels([new("a", "1"), new("b", "2")])));
        Assert.AreNotEqual(labels, Id(Busybox.WithLabels([new("a", "1"), new("b", "3")])));
        Assert.AreNotEqual(labels, Id(Busybox.WithLabels([new("a", "2"), new("b", "1")])), "values stay with their keys");
        Assert.AreEqual(Id(Busybox.WithExposedPorts("8080", "53/udp")), Id(Busybox.WithExposedPorts("53/udp", "8080/tcp")));
        Assert.AreNotEqual(Id(Busybox.WithExposedPorts("8080")), Id(Busybox.WithExposedPorts("8080/udp")));
    }

    [TestMethod]
    public void EveryConfigurationValueChangesIt()
    {
        var ids = new[]
        {
            Busybox,
            Busybox.WithEntrypoint("/app/web"),
            Busybox.WithEntrypoint("/app/web", "--x"),
            Busybox.WithEntrypoint([]),
            Busybox.WithCommand("/app/web"),
            Busybox.WithCommand([]),
            Busybox.WithUser("app"),
            Busybox.WithUser("1000"),
            Busybox.WithExposedPorts("80"),
            Busybox.WithHealthcheck(["/app/web"]),
            Busybox.WithHealthcheck(["/app/web"], interval: TimeSpan.FromSeconds(5)),
            Busybox.WithHealthcheck(["/app/web"], timeout: TimeSpan.FromSeconds(5)),
            Busybox.WithHealthcheck(["/app/web"], startPeriod: TimeSpan.FromSeconds(5)),
            Busybox.WithHealthcheck(["/app/web"], retries: 5),
            Busybox.WithoutHealthcheck(),
            Busybox.WithLabels([new("a", "1")]),
            Busybox.WithEntrypoint("/app/web").WithCommand("--x"),
            Busybox.WithCommand("--x").WithEntrypoint("/app/web"),
        }.Select(Id).ToList();
        Assert.AreEqual(ids.Count, ids.Distinct().Count(), "each definition has its own identifier");
    }

    [TestMethod]
    public void HealthcheckParametersAreEncodedInMilliseconds()
    {
        var json = ImageIdentifier.Compute(Busybox.WithHealthcheck(["/bin/true"], TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1500))).CanonicalJson;
        StringAssert.Contains(json, "{\"kind\":\"Healthcheck\",\"parameters\":{\"command\":[\"/bin/true\"],\"intervalMs\":2000,\"timeoutMs\":1500,\"startPeriodMs\":null,\"retries\":null},\"files\":[]}");
        StringAssert.Contains(ImageIdentifier.Compute(Busybox.WithoutHealthcheck()).CanonicalJson, "{\"command\":null,");
    }

    [TestMethod]
    public void PublishOutputFilesAndDestinationCount()
    {
        using var tree = new TempTree();
        tree.Write("publish/web", "binary", executable: true);
        tree.Write("publish/web.pdb", "symbols");
        tree.Write(".dockerignore", "publish/*.pdb\n");
        var image = Busybox.WithAppPublishOutput(tree.Path_("publish")).WithDockerIgnore(tree.Path_(".dockerignore"));
        var identity = ImageIdentifier.Compute(image);
        StringAssert.Contains(identity.CanonicalJson,
            "{\"kind\":\"AppPublishOutput\",\"parameters\":{\"destination\":\"/app\"},\"files\":[{\"path\":\"web\",\"exec\":true,\"sha256\":\"");
        Assert.DoesNotContain("web.pdb", identity.CanonicalJson, "ignore rules apply to publish output as to any source folder");
        Assert.AreEqual("AppPublishOutput publish -> /app", identity.Layers[0].Description);
        Assert.AreNotEqual(identity.Identifier, Id(Busybox.WithAppPublishOutput(tree.Path_("publish"), "/srv").WithDockerIgnore(tree.Path_(".dockerignore"))));
        var before = identity.Identifier;
        tree.Write("publish/web", "binary v2", executable: true);
        var after = ImageIdentifier.Compute(image);
        Assert.AreNotEqual(before, after.Identifier);
        CollectionAssert.AreEqual(new[] { "layer 0 (AppPublishOutput publish -> /app): web changed" }, after.DescribeChangesSince(identity).ToArray());
    }

    [TestMethod]
    public void APinnedDigestIsPartOfTheBase()
    {
        var unpinned = ImageIdentifier.Compute(Busybox);
        var pinnedA = ImageIdentifier.Compute(Busybox.WithPinnedBase(DigestA));
        var pinnedB = ImageIdentifier.Compute(Busybox.WithPinnedBase(DigestB));
        StringAssert.Contains(pinnedA.CanonicalJson, "\"base\":{\"kind\":\"Image\",\"image\":\"127.0.0.1:5000/local/busybox:static@" + DigestA + "\"}");
        Assert.AreEqual(3, new[] { unpinned.Identifier, pinnedA.Identifier, pinnedB.Identifier }.Distinct().Count(),
            "a base tag that moved gives another identifier once it is re-pinned");
        Assert.AreEqual(pinnedA.Identifier, Id(Busybox.WithPinnedBase(DigestA)));
    }

    [TestMethod]
    public void APlanHoldsPublishOutputAndTheCheckerReportsAMissingFolder()
    {
        using var tree = new TempTree();
        tree.Write("publish/web", "binary");
        var plan = ContextPlanner.Plan(Busybox.WithAppPublishOutput(tree.Path_("publish")));
        Assert.AreEqual("layers/0/web", plan.ForLayer(0)!.Files.Single().ContextPath);
        var problems = Busybox.WithAppPublishOutput(tree.Path_("nope")).Check();
        Assert.AreEqual(ContainerImage.Diagnostics.DiagnosticCodes.DirectoryNotFound, problems.Single().Code);
        Assert.AreEqual(0, problems.Single().LayerIndex);
    }
}
