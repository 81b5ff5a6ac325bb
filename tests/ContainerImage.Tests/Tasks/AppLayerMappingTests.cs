using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tasks;
using Microsoft.Build.Framework;
using static ContainerImage.Tests.Tasks.ImageItemMapperTests;

namespace ContainerImage.Tests.Tasks;

/// <summary>Items -> app layers (publish output, entrypoint, command, user, ports, health check, labels), OCI labels, derived clones.</summary>
[TestClass]
public sealed class AppLayerMappingTests
{
    private const string ProjectDirectory = "/work/project";

    private static readonly (string, string)[] ExistingBase = [("ImageBaseUri", "127.0.0.1:5000/local/debian:bookworm"), ("ImageName", "shop")];

    private static IReadOnlyList<MappedImage> MapAll(ITaskItem[] layers, ITaskItem[]? clones = null, params (string Name, string Value)[] properties)
        => ImageItemMapper.MapAll(ExistingBase.Concat(properties).ToDictionary(p => p.Item1, p => (string?)p.Item2), layers, [], clones ?? [], ProjectDirectory);

    private static Image Map(params ITaskItem[] layers) => MapAll(layers)[0].Image;

    private static ItemMappingException MapFails(params ITaskItem[] layers) => Assert.ThrowsExactly<ItemMappingException>(() => MapAll(layers));

    [TestMethod]
    public void AppPublishOutputIsTheFolderRelativeToTheProjectWithDestinationDefaultingToApp()
    {
        var image = Map(Layer("bin/publish", "AppPublishOutput"), Layer("out", "AppPublishOutput", ("Destination", "/srv/shop")));
        Assert.AreEqual(new AppPublishOutputLayer("/work/project/bin/publish", "/app"), image.Layers[0]);
        Assert.AreEqual(new AppPublishOutputLayer("/work/project/out", "/srv/shop"), image.Layers[1]);
    }

    [TestMethod]
    public void EntrypointAndCommandItemsAreTheArgumentsInOrderAndOneLayerEach()
    {
        var image = Map(Layer("/app/shop", "Entrypoint"), Layer("--urls", "Entrypoint"), Layer("http://+:8080", "Entrypoint"),
            Layer("--verbose", "Command"), Layer("$HOME", "Command"));
        Assert.AreEqual(2, image.Layers.Count);
        CollectionAssert.AreEqual(new[] { "/app/shop", "--urls", "http://+:8080" }, ((EntrypointLayer)image.Layers[0]).Arguments.ToArray());
        CollectionAssert.AreEqual(new[] { "--verbose", "$HOME" }, ((DefaultCommandLayer)image.Layers[1]).Arguments.ToArray());
    }

    [TestMethod]
    [DataRow("Entrypoint")]
    [DataRow("Command")]
    public void ClearWithIncludeNoneMapsToTheEmptyList(string kind)
    {
        var layer = Map(Layer("none", kind, ("Clear", "true"))).Layers.Single();
        var arguments = layer is EntrypointLayer e ? e.Arguments : ((DefaultCommandLayer)layer).Arguments;
        Assert.AreEqual(0, arguments.Count);
    }

    [TestMethod]
    public void ClearNeedsASingleNoneItem()
    {
        var withArgument = MapFails(Layer("/app/shop", "Entrypoint", ("Clear", "true")));
        Assert.AreEqual(DiagnosticCodes.ClearNeedsNone, withArgument.Code);
        Assert.AreEqual("/app/shop", withArgument.Item!.Item.ItemSpec);
        var twoItems = MapFails(Layer("none", "Command", ("Clear", "true")), Layer("x", "Command", ("Clear", "true")));
        Assert.AreEqual(DiagnosticCodes.ClearNeedsNone, twoItems.Code);
        Assert.AreEqual("x", twoItems.Item!.Item.ItemSpec);
        Assert.AreEqual(DiagnosticCodes.InvalidBooleanMetadata, MapFails(Layer("none", "Command", ("Clear", "yes"))).Code);
    }

    [TestMethod]
    public void AnEntrypointArgumentWithANewlineIsBlamedOnItsItem()
    {
        var error = MapFails(Layer("/app/shop", "Entrypoint"), Layer("a\nb", "Entrypoint"));
        Assert.AreEqual(DiagnosticCodes.InvalidExecArgument, error.Code);
        Assert.AreEqual("Entrypoint", error.Item!.Kind);
    }

    [TestMethod]
    public void UserAndPortsMapAndBadValuesNameTheirItem()
    {
        var image = Map(Layer("1000:1000", "User"), Layer("8080", "ExposePorts"), Layer("53/udp", "ExposePorts"), Layer("8080/tcp", "ExposePorts"));
        Assert.AreEqual("1000:1000", ((UserLayer)image.Layers[0]).User);
        CollectionAssert.AreEqual(new[] { "53/udp", "8080/tcp" }, ((ExposePortsLayer)image.Layers[1]).Ports.ToArray());

        var port = MapFails(Layer("8080", "ExposePorts"), Layer("70000", "ExposePorts"));
        Assert.AreEqual(DiagnosticCodes.InvalidPort, port.Code);
        Assert.AreEqual("70000", port.Item!.Item.ItemSpec);
        Assert.AreEqual(DiagnosticCodes.UnknownMetadata, MapFails(Layer("app", "User", ("Value", "x"))).Code);
    }

    [TestMethod]
    public void HealthcheckTakesExecArgumentsAndTimingsOrNone()
    {
        var check = (HealthcheckLayer)Map(
            Layer("curl", "Healthcheck", ("Interval", "1m30s"), ("Timeout", "500ms"), ("StartPeriod", "2s"), ("Retries", "4")),
            Layer("-f", "Healthcheck", ("Interval", "1m30s"), ("Timeout", "500ms"), ("StartPeriod", "2s"), ("Retries", "4"))).Layers.Single();
        CollectionAssert.AreEqual(new[] { "curl", "-f" }, check.Command!.Value.ToArray());
        Assert.AreEqual(TimeSpan.FromSeconds(90), check.Interval);
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), check.Timeout);
        Assert.AreEqual(TimeSpan.FromSeconds(2), check.StartPeriod);
        Assert.AreEqual(4, check.Retries);
        Assert.IsTrue(((HealthcheckLayer)Map(Layer("NONE", "Healthcheck")).Layers.Single()).IsNone);
    }

    [TestMethod]
    [DataRow("Interval", "30")]
    [DataRow("Timeout", "1.5s")]
    [DataRow("StartPeriod", "1d")]
    [DataRow("Retries", "many")]
    public void BadHealthcheckMetadataIsCoded(string metadata, string value)
    {
        var error = MapFails(Layer("true", "Healthcheck", (metadata, value)));
        Assert.AreEqual(DiagnosticCodes.InvalidHealthcheckMetadata, error.Code);
        StringAssert.Contains(error.Message, metadata + "='" + value + "'");
    }

    [TestMethod]
    public void HealthcheckRangesAndNoneWithTimingsAreRefused()
    {
        Assert.AreEqual(DiagnosticCodes.InvalidHealthcheck, MapFails(Layer("true", "Healthcheck", ("Retries", "0"))).Code);
        Assert.AreEqual(DiagnosticCodes.InvalidHealthcheckMetadata, MapFails(Layer("NONE", "Healthcheck", ("Interval", "5s"))).Code);
    }

    [TestMethod]
    public void LabelsTakeTheirValueFromMetadataAndBadKeysNameTheirItem()
    {
        var labels = (LabelsLayer)Map(Layer("com.example.team", "Labels", ("Value", "shop $team")), Layer("a.b", "Labels", ("Value", "1"))).Layers.Single();
        CollectionAssert.AreEqual(new[] { new ImageLabel("a.b", "1"), new ImageLabel("com.example.team", "shop $team") }, labels.Labels.ToArray());
        var error = MapFails(Layer("ok", "Labels", ("Value", "1")), Layer("-bad", "Labels", ("Value", "1")));
        Assert.AreEqual(DiagnosticCodes.InvalidLabel, error.Code);
        Assert.AreEqual("-bad", error.Item!.Item.ItemSpec);
    }

    [TestMethod]
    public void OciLabelsComeFromProjectMetadataAndUserLabelsWin()
    {
        var mapped = MapAll([Layer("org.opencontainers.image.source", "Labels", ("Value", "https://example.test/mine"))], null,
            ("ImageGenerateLabels", "true"), ("Version", "1.2.3"), ("Authors", "Ada"), ("Description", "The shop"), ("RepositoryUrl", "https://example.test/repo"))[0];
        var generated = (LabelsLayer)mapped.Image.Layers[^1];
        CollectionAssert.AreEqual(new[]
        {
            new ImageLabel("org.opencontainers.image.authors", "Ada"),
            new ImageLabel("org.opencontainers.image.description", "The shop"),
            new ImageLabel("org.opencontainers.image.title", "shop"),
            new ImageLabel("org.opencontainers.image.version", "1.2.3"),
        }, generated.Labels.ToArray());
        Assert.AreEqual(mapped.Image.Layers.Count, mapped.LayerOrigins.Count);
        Assert.AreEqual("https://example.test/mine", ((LabelsLayer)mapped.Image.Layers[0]).Labels.Single().Value);
    }

    [TestMethod]
    public void OciLabelsAreOffWhenNotAskedForAndBadMetadataBlamesItsProperty()
    {
        Assert.AreEqual(0, MapAll([], null, ("Version", "1.0.0"))[0].Image.Layers.Count);
        Assert.AreEqual(0, MapAll([], null, ("ImageGenerateLabels", "false"), ("Version", "1.0.0"))[0].Image.Layers.Count);
        var error = Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], null, ("ImageGenerateLabels", "true"), ("Description", "two\nlines")));
        Assert.AreEqual(DiagnosticCodes.InvalidLabel, error.Code);
        Assert.AreEqual("Description", error.PropertyName);
        Assert.AreEqual(DiagnosticCodes.InvalidProperty,
            Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], null, ("ImageGenerateLabels", "maybe"))).Code);
    }

    [TestMethod]
    public void DeriveMakesTheCloneAChildOfItsSourceWithOnlyItsOwnLayers()
    {
        var images = MapAll(
            [Layer("jq", "AptPackages"), Layer("worker", "Entrypoint", ("Image", "worker"))],
            [Layer("worker", "", ("Derive", "true")), Layer("copy", "")]);
        var main = images[0].Image;
        var worker = images[1].Image;
        var parent = Assert.IsInstanceOfType<ParentImageBase>(worker.Base);
        Assert.AreEqual(main, parent.Parent);
        Assert.IsInstanceOfType<EntrypointLayer>(worker.Layers.Single());
        Assert.AreEqual(1, images[1].LayerOrigins.Count);
        var copy = images[2].Image;
        Assert.IsInstanceOfType<ExistingImageBase>(copy.Base);
        Assert.AreEqual(main.Layers, copy.Layers);
        Assert.AreNotEqual(main.Identifier, worker.Identifier);
    }

    [TestMethod]
    public void TheDerivedIdentifierCoversTheSourceIdentifier()
    {
        var before = MapAll([Layer("jq", "AptPackages")], [Layer("worker", "", ("Derive", "true"))])[1].Image;
        var after = MapAll([Layer("curl", "AptPackages")], [Layer("worker", "", ("Derive", "true"))])[1].Image;
        Assert.AreEqual(before.Layers, after.Layers);
        Assert.AreNotEqual(before.Identifier, after.Identifier);
    }

    [TestMethod]
    public void DeriveValuesAndPythonVersionOnADerivedCloneAreCoded()
    {
        var bad = Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [Layer("worker", "", ("Derive", "sure"))]));
        Assert.AreEqual(DiagnosticCodes.InvalidBooleanMetadata, bad.Code);
        Assert.AreEqual("worker", bad.Item!.Item.ItemSpec);
        var python = Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [Layer("worker", "", ("Derive", "true"), ("PythonVersion", "3.11"))]));
        Assert.AreEqual(DiagnosticCodes.PythonVersionNotApplicable, python.Code);
    }

    [TestMethod]
    public void ABasePinningValueOutsideTheListIsCoded()
    {
        var error = Assert.ThrowsExactly<ItemMappingException>(() => BasePinningMode.Parse("always"));
        Assert.AreEqual(DiagnosticCodes.InvalidProperty, error.Code);
        Assert.AreEqual("ImageBasePinning", error.PropertyName);
        Assert.AreEqual(BasePinningMode.Mode.Locked, BasePinningMode.Parse(" Locked "));
        Assert.AreEqual(BasePinningMode.Mode.None, BasePinningMode.Parse(""));
    }
}
