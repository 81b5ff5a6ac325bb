using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using ContainerImage.Tasks;
using ContainerImage.Tests.EndToEnd;

namespace ContainerImage.Tests.Tasks;

/// <summary>
/// The IntelliSense schema as a schema tool sees it: <see cref="XmlSchemaSet"/> compiles it (with a
/// test-only stand-in for the MSBuild schema it extends, MSBuildSchemaStandIn.xsd) without an error
/// or warning, accepts every test project that uses our items, and rejects an unknown Kind and a
/// misspelled metadata name, as an editor reading it would underline them.
/// </summary>
[TestClass]
public sealed class ImageSchemaValidationTests
{
    private const string MSBuildNamespace = "http://schemas.microsoft.com/developer/msbuild/2003";

    // Projects the tasks reject for reasons a schema cannot express (values, files, combinations);
    // each is still schema-valid, which the positive test checks.
    private static readonly string[] SchemaInvalidProjects = ["error-unknown-kind"];

    private static readonly Lazy<(XmlSchemaSet Set, List<string> Problems)> Compiled = new(Compile);

    [TestMethod]
    public void TheSchemaCompilesWithoutErrorsOrWarnings()
    {
        var (set, problems) = Compiled.Value;
        Assert.AreEqual(0, problems.Count, string.Join('\n', problems));
        Assert.IsTrue(set.IsCompiled);
        Assert.IsTrue(set.GlobalElements.Contains(new XmlQualifiedName("ImageLayer", MSBuildNamespace)));
    }

    [TestMethod]
    public void KindIsAnEnumerationOfTheAcceptedKindsAsAttributeAndAsElement()
    {
        var (set, _) = Compiled.Value;
        var kindType = (XmlSchemaSimpleType)set.GlobalTypes[new XmlQualifiedName("ImageLayerKind", MSBuildNamespace)]!;
        var restriction = (XmlSchemaSimpleTypeRestriction)kindType.Content!;
        var values = restriction.Facets.Cast<XmlSchemaFacet>().Select(f => Assert.IsInstanceOfType<XmlSchemaEnumerationFacet>(f).Value!).Order().ToArray();
        CollectionAssert.AreEqual(ImageSurface.LayerKinds.Keys.Order().ToArray(), values);

        var layer = (XmlSchemaElement)set.GlobalElements[new XmlQualifiedName("ImageLayer", MSBuildNamespace)]!;
        var type = (XmlSchemaComplexType)layer.ElementSchemaType!;
        var attribute = (XmlSchemaAttribute)type.AttributeUses[new XmlQualifiedName("Kind")]!;
        Assert.AreSame(kindType, attribute.AttributeSchemaType, "editors complete Kind=\"...\" from the enumeration");
        var element = ((XmlSchemaSequence)((XmlSchemaComplexContentExtension)((XmlSchemaComplexContent)type.ContentModel!).Content!).Particle!)
            .Items.OfType<XmlSchemaChoice>().Single().Items.OfType<XmlSchemaElement>().Single(e => e.Name == "Kind");
        Assert.AreSame(kindType, element.ElementSchemaType, "and <Kind>...</Kind> too");
    }

    [TestMethod]
    public void EveryTestProjectThatUsesOurItemsOrPropertiesIsValid()
    {
        var projects = TestProjects().Where(p => !SchemaInvalidProjects.Contains(Path.GetFileName(Path.GetDirectoryName(p)))).ToList();
        Assert.IsTrue(projects.Count >= 15, $"the test projects were found ({projects.Count})");
        foreach (var project in projects)
        {
            var problems = Validate(XDocument.Load(project));
            Assert.AreEqual(0, problems.Count, $"{project}:\n{string.Join('\n', problems)}");
        }
    }

    [TestMethod]
    public void TheUnknownKindTestProjectIsInvalid()
    {
        var project = TestProjects().Single(p => Path.GetFileName(Path.GetDirectoryName(p)) == "error-unknown-kind");
        var problems = Validate(XDocument.Load(project));
        Assert.IsTrue(problems.Any(p => p.Contains("'Kind'", StringComparison.Ordinal) && p.Contains("Apt", StringComparison.Ordinal)), string.Join('\n', problems));
    }

    [TestMethod]
    [DataRow("""<ImageLayer Include="git" Kind="AptPackage" />""", "'Kind'", DisplayName = "an unknown Kind value")]
    [DataRow("""<ImageLayer Include="git" Kind="aptpackages" />""", "'Kind'", DisplayName = "a Kind in the wrong case")]
    [DataRow("""<ImageLayer Include="git"><Kind>Apt</Kind></ImageLayer>""", ":Kind' element", DisplayName = "an unknown Kind as an element")]
    [DataRow("""<ImageLayer Include="src" Kind="SourceFolder" Destinaton="/app" />""", "'Destinaton'", DisplayName = "a misspelled metadata attribute")]
    [DataRow("""<ImageLayer Include="src" Kind="SourceFolder"><Destinaton>/app</Destinaton></ImageLayer>""", "'Destinaton'", DisplayName = "a misspelled metadata element")]
    [DataRow("""<ImageSecret Include="token" FromEnv="TOKEN" />""", "'FromEnv'", DisplayName = "a misspelled secret metadata")]
    [DataRow("""<ImageClone Include="other" Derived="true" />""", "'Derived'", DisplayName = "a misspelled clone metadata")]
    public void AWrongFragmentIsInvalid(string item, string named)
    {
        var problems = Validate(Project(item));
        Assert.IsTrue(problems.Any(p => p.Contains(named, StringComparison.Ordinal)), $"expected a problem naming {named}, got:\n{string.Join('\n', problems)}");
    }

    [TestMethod]
    [DataRow("""<ImageLayer Include="git;curl" Kind="AptPackages" Secrets="netrc" />""")]
    [DataRow("""<ImageLayer Include="src"><Kind>SourceFolder</Kind><Destination>/app</Destination></ImageLayer>""")]
    [DataRow("""<ImageLayer Include="curl" Kind="AptPackages" Condition="'$(Configuration)' == 'Release'" />""")]
    [DataRow("""<ImageLayer Remove="curl" />""")]
    public void ACorrectFragmentIsValid(string item)
    {
        var problems = Validate(Project(item));
        Assert.AreEqual(0, problems.Count, string.Join('\n', problems));
    }

    [TestMethod]
    public void AMisspelledPropertyIsInvalid()
    {
        var project = XDocument.Parse("<Project Sdk=\"ContainerImage.Sdk\"><PropertyGroup><ImageNmae>x</ImageNmae></PropertyGroup></Project>");
        var problems = Validate(project);
        Assert.IsTrue(problems.Any(p => p.Contains("ImageNmae", StringComparison.Ordinal)), string.Join('\n', problems));
    }

    private static XDocument Project(string item)
        => XDocument.Parse($"<Project Sdk=\"ContainerImage.Sdk\"><ItemGroup>{item}</ItemGroup></Project>");

    private static IEnumerable<string> TestProjects()
        => Directory.EnumerateDirectories(Path.Combine(Repository.Root, "testassets"))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.csproj").Concat(Directory.EnumerateFiles(d, "*.proj")))
            .Where(p => UsesOurSurface(XDocument.Load(p)))
            .Order(StringComparer.Ordinal);

    private static bool UsesOurSurface(XDocument project)
        => project.Descendants().Any(e => e.Name.LocalName is "ImageLayer" or "ImageSecret" or "ImageClone"
                                          || ImageSurface.AllProperties.Contains(e.Name.LocalName));

    /// <summary>
    /// Validates a project as an editor does: an SDK-style project has no namespace, and editors read
    /// it as the MSBuild namespace, so its elements are moved there first. Warnings count as problems
    /// (an undeclared element is only a warning in lax validation).
    /// </summary>
    private static List<string> Validate(XDocument project)
    {
        foreach (var element in project.Descendants().Where(e => e.Name.Namespace == XNamespace.None))
        {
            element.Name = XName.Get(element.Name.LocalName, MSBuildNamespace);
        }
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Compiled.Value.Set };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} line {e.Exception.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(project.ToString()), settings);
        while (reader.Read())
        {
        }
        return problems;
    }

    private static (XmlSchemaSet, List<string>) Compile()
    {
        var problems = new List<string>();
        var set = new XmlSchemaSet();
        set.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity}: {e.Message}");
        foreach (var file in new[]
        {
            Path.Combine(Repository.Root, "tests", "ContainerImage.Tests", "Tasks", "MSBuildSchemaStandIn.xsd"),
            Path.Combine(Repository.Root, "src", "ContainerImage.Sdk", "build", "ContainerImage.Sdk.xsd"),
        })
        {
            using var reader = XmlReader.Create(file);
            set.Add(MSBuildNamespace, reader);
        }
        set.Compile();
        return (set, problems);
    }
}
