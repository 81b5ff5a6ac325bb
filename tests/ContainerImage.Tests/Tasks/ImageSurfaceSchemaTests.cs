using System.Xml.Linq;
using ContainerImage.Tasks;
using ContainerImage.Tests.EndToEnd;

namespace ContainerImage.Tests.Tasks;

/// <summary>The IntelliSense schema lists exactly what the tasks accept (Tasks/ImageSurface.cs), both ways.</summary>
[TestClass]
public sealed class ImageSurfaceSchemaTests
{
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    private static XElement Schema() => XDocument.Load(Path.Combine(Repository.Root, "src", "ContainerImage.Sdk", "build", "ContainerImage.Sdk.xsd")).Root!;

    private static XElement Element(string name) => Schema().Elements(Xs + "element").Single(e => (string?)e.Attribute("name") == name);

    private static string[] AttributesOf(string item) => Element(item).Descendants(Xs + "attribute").Select(a => (string)a.Attribute("name")!).Order().ToArray();

    private static string[] ChildElementsOf(string item) => Element(item).Descendants(Xs + "element").Select(a => (string)a.Attribute("name")!).Order().ToArray();

    [TestMethod]
    public void EveryPropertyTheTasksReadIsInTheSchemaAndNoOther()
    {
        var inSchema = Schema().Elements(Xs + "element").Where(e => (string?)e.Attribute("substitutionGroup") == "msb:Property")
            .Select(e => (string)e.Attribute("name")!).Order().ToArray();
        CollectionAssert.AreEqual(ImageSurface.AllProperties.Order().ToArray(), inSchema);
        CollectionAssert.IsSubsetOf(ImageItemMapper.DefinitionProperties.ToArray(), inSchema);
    }

    [TestMethod]
    public void TheKindEnumerationIsExactlyTheAcceptedKindsEachWithItsMetadata()
    {
        var values = Schema().Elements(Xs + "simpleType").Single(t => (string?)t.Attribute("name") == "ImageLayerKind").Descendants(Xs + "enumeration").ToList();
        CollectionAssert.AreEqual(ImageSurface.LayerKinds.Keys.Order().ToArray(), values.Select(v => (string)v.Attribute("value")!).Order().ToArray());
        foreach (var value in values)
        {
            var documentation = value.Descendants(Xs + "documentation").Single().Value;
            var listed = documentation[(documentation.IndexOf("Metadata: ", StringComparison.Ordinal) + "Metadata: ".Length)..].TrimEnd('.');
            var expected = ImageSurface.LayerKinds[(string)value.Attribute("value")!];
            Assert.AreEqual(expected.Length == 0 ? "none" : string.Join(", ", expected), listed, $"documented metadata of {(string)value.Attribute("value")!}");
        }
    }

    [TestMethod]
    public void ImageLayerOffersTheUnionOfEveryKindsMetadataAndKindIsTheEnumeration()
    {
        var expected = ImageSurface.LayerKinds.Values.SelectMany(m => m).Concat(ImageSurface.CommonLayerMetadata).Distinct().Order().ToArray();
        CollectionAssert.AreEqual(expected, AttributesOf("ImageLayer"));
        CollectionAssert.AreEqual(expected, ChildElementsOf("ImageLayer"));
        var kind = Element("ImageLayer").Descendants(Xs + "attribute").Single(a => (string?)a.Attribute("name") == "Kind");
        Assert.AreEqual("msb:ImageLayerKind", (string?)kind.Attribute("type"));
    }

    [TestMethod]
    public void ImageSecretAndImageCloneOfferExactlyTheirMetadata()
    {
        CollectionAssert.AreEqual(ImageSurface.SecretMetadata.Order().ToArray(), AttributesOf("ImageSecret"));
        CollectionAssert.AreEqual(ImageSurface.SecretMetadata.Order().ToArray(), ChildElementsOf("ImageSecret"));
        CollectionAssert.AreEqual(ImageSurface.CloneMetadata.Order().ToArray(), AttributesOf("ImageClone"));
        CollectionAssert.AreEqual(ImageSurface.CloneMetadata.Order().ToArray(), ChildElementsOf("ImageClone"));
    }

    [TestMethod]
    public void EveryDeclarationHasShortDocumentation()
    {
        foreach (var declared in Schema().Descendants().Where(d => d.Name == Xs + "element" || d.Name == Xs + "attribute" || d.Name == Xs + "enumeration"))
        {
            var text = declared.Elements(Xs + "annotation").Elements(Xs + "documentation").SingleOrDefault()?.Value;
            Assert.IsFalse(string.IsNullOrWhiteSpace(text), $"{declared.Attribute("name") ?? declared.Attribute("value")} has no documentation");
        }
    }
}
