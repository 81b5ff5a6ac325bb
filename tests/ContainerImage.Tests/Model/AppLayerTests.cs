using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Model;

/// <summary>Validation and normalization of the app-image layer kinds.</summary>
[TestClass]
public sealed class AppLayerTests
{
    private static readonly Image Busybox = Image.FromBase("127.0.0.1:5000/local/busybox:static");

    private static void AssertCode(string code, Action action)
        => Assert.AreEqual(code, Assert.ThrowsExactly<ImageDefinitionException>(action).Code);

    [TestMethod]
    public void PublishOutputDefaultsToAppAndIsAFullPath()
    {
        var layer = (AppPublishOutputLayer)Busybox.WithAppPublishOutput("bin/publish").Layers.Single();
        Assert.AreEqual("/app", layer.Destination);
        Assert.AreEqual(Path.GetFullPath("bin/publish"), layer.Source);
        Assert.AreEqual("/srv/web", ((AppPublishOutputLayer)Busybox.WithAppPublishOutput("p", "/srv/web").Layers.Single()).Destination);
        AssertCode(DiagnosticCodes.InvalidImagePath, () => Busybox.WithAppPublishOutput("p", "/srv/$HOME"));
        AssertCode(DiagnosticCodes.InvalidImagePath, () => Busybox.WithAppPublishOutput("p", "../x"));
    }

    [TestMethod]
    public void ExecFormArgumentsAreKeptAsGivenAndRefusedWhenTheyCannotBe()
    {
        var entrypoint = (EntrypointLayer)Busybox.WithEntrypoint("/app/web", "a b", "$HOME", "'q'").Layers.Single();
        CollectionAssert.AreEqual(new[] { "/app/web", "a b", "$HOME", "'q'" }, entrypoint.Arguments.ToArray());
        Assert.AreEqual(0, ((DefaultCommandLayer)Busybox.WithCommand([]).Layers.Single()).Arguments.Count, "an empty CMD clears an inherited one");
        AssertCode(DiagnosticCodes.InvalidExecArgument, () => Busybox.WithEntrypoint("/app/web", "a\nb"));
        AssertCode(DiagnosticCodes.InvalidExecArgument, () => Busybox.WithCommand("a\0b"));
        AssertCode(DiagnosticCodes.InvalidExecArgument, () => Busybox.WithEntrypoint(" ", "x"));
    }

    [TestMethod]
    [DataRow("8080", "8080/tcp")]
    [DataRow("8080/tcp", "8080/tcp")]
    [DataRow("53/udp", "53/udp")]
    [DataRow("53/UDP", "53/udp")]
    [DataRow("1", "1/tcp")]
    [DataRow("65535/udp", "65535/udp")]
    public void PortsAreNormalized(string given, string expected)
        => CollectionAssert.AreEqual(new[] { expected }, ((ExposePortsLayer)Busybox.WithExposedPorts(given).Layers.Single()).Ports.ToArray());

    [TestMethod]
    [DataRow("0")]
    [DataRow("65536")]
    [DataRow("80/sctp")]
    [DataRow("-1")]
    [DataRow("80-90")]
    [DataRow("http")]
    [DataRow("")]
    [DataRow("80/tcp ")]
    public void BadPortsAreCIMG2030(string port) => AssertCode(DiagnosticCodes.InvalidPort, () => Busybox.WithExposedPorts(port));

    [TestMethod]
    public void PortsAreASortedSet()
    {
        var layer = (ExposePortsLayer)Busybox.WithExposedPorts("8080", "443", "53/udp", "8080/tcp", "53").Layers.Single();
        CollectionAssert.AreEqual(new[] { "53/tcp", "53/udp", "443/tcp", "8080/tcp" }, layer.Ports.ToArray());
        Assert.AreEqual(layer, Busybox.WithExposedPorts("53", "443", "8080", "53/udp").Layers.Single());
        AssertCode(DiagnosticCodes.EmptyLayer, () => Busybox.WithExposedPorts());
    }

    [TestMethod]
    public void HealthcheckTimingsAreValidated()
    {
        var layer = (HealthcheckLayer)Busybox.WithHealthcheck(["/app/web", "--health"], TimeSpan.FromSeconds(10), retries: 2).Layers.Single();
        Assert.IsFalse(layer.IsNone);
        Assert.AreEqual(TimeSpan.FromSeconds(10), layer.Interval);
        Assert.IsNull(layer.Timeout);
        Assert.AreEqual(2, layer.Retries);
        Assert.IsTrue(((HealthcheckLayer)Busybox.WithoutHealthcheck().Layers.Single()).IsNone);
        AssertCode(DiagnosticCodes.InvalidHealthcheck, () => Busybox.WithHealthcheck([]));
        AssertCode(DiagnosticCodes.InvalidHealthcheck, () => Busybox.WithHealthcheck(["x"], interval: TimeSpan.Zero));
        AssertCode(DiagnosticCodes.InvalidHealthcheck, () => Busybox.WithHealthcheck(["x"], timeout: TimeSpan.FromSeconds(-1)));
        AssertCode(DiagnosticCodes.InvalidHealthcheck, () => Busybox.WithHealthcheck(["x"], startPeriod: TimeSpan.FromTicks(5)));
        AssertCode(DiagnosticCodes.InvalidHealthcheck, () => Busybox.WithHealthcheck(["x"], retries: 0));
        AssertCode(DiagnosticCodes.InvalidExecArgument, () => Busybox.WithHealthcheck(["x", "a\rb"]));
    }

    [TestMethod]
    public void LabelsAreSortedByKeyAndKeysAreUnique()
    {
        var layer = (LabelsLayer)Busybox.WithLabels([new("org.opencontainers.image.version", "1.0"), new("a", "x $y \"z\"")]).Layers.Single();
        CollectionAssert.AreEqual(new[] { "a", "org.opencontainers.image.version" }, layer.Labels.Select(l => l.Key).ToArray());
        Assert.AreEqual("x $y \"z\"", layer.Labels[0].Value, "values are kept as given; the writer escapes them");
        AssertCode(DiagnosticCodes.InvalidLabel, () => Busybox.WithLabels([new("a", "1"), new("a", "2")]));
        AssertCode(DiagnosticCodes.InvalidLabel, () => Busybox.WithLabels([new("a b", "1")]));
        AssertCode(DiagnosticCodes.InvalidLabel, () => Busybox.WithLabels([new("$key", "1")]));
        AssertCode(DiagnosticCodes.InvalidLabel, () => Busybox.WithLabels([new("a", "line\nbreak")]));
        AssertCode(DiagnosticCodes.EmptyLayer, () => Busybox.WithLabels([]));
    }

    [TestMethod]
    public void UserIsValidated()
    {
        Assert.AreEqual("1000:1000", ((UserLayer)Busybox.WithUser("1000:1000").Layers.Single()).User);
        AssertCode(DiagnosticCodes.InvalidUser, () => Busybox.WithUser("root; rm -rf /"));
        AssertCode(DiagnosticCodes.InvalidUser, () => Busybox.WithUser("$USER"));
    }

    [TestMethod]
    public void PinningNeedsAnExistingBaseAndADigest()
    {
        const string digest = "sha256:" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
        var pinned = Busybox.WithPinnedBase(digest);
        var existing = (ExistingImageBase)pinned.Base;
        Assert.AreEqual(digest, existing.PinnedDigest);
        Assert.AreEqual("127.0.0.1:5000/local/busybox:static@" + digest, existing.EffectiveReference.ToString());
        Assert.AreEqual("127.0.0.1:5000/local/busybox:static", existing.Reference.ToString(), "the declared reference is kept for the base.name label");
        Assert.AreNotEqual(Busybox, pinned);
        AssertCode(DiagnosticCodes.InvalidDigest, () => Busybox.WithPinnedBase("sha256:ABC"));
        AssertCode(DiagnosticCodes.InvalidDigest, () => Busybox.WithPinnedBase("latest"));
        AssertCode(DiagnosticCodes.BasePinNotApplicable, () => Image.FromDebianBase().WithPinnedBase(digest));
        AssertCode(DiagnosticCodes.BasePinNotApplicable, () => Busybox.Derive().WithPinnedBase(digest));
        var other = "sha256:" + new string('c', 64);
        AssertCode(DiagnosticCodes.BaseAlreadyPinned, () => Image.FromBase("busybox@" + other).WithPinnedBase(digest));
        Assert.AreEqual(other, ((ExistingImageBase)Image.FromBase("busybox@" + other).WithPinnedBase(other).Base).PinnedDigest);
    }
}
