using ContainerImage.Diagnostics;
using ContainerImage.Tasks;
using Microsoft.Build.Framework;
using static ContainerImage.Tests.Tasks.ImageItemMapperTests;

namespace ContainerImage.Tests.Tasks;

/// <summary>Errors come out of the tasks as MSBuild errors with their code at the declaring element's line; nothing escapes.</summary>
[TestClass]
public sealed class TaskDiagnosticsTests
{
    private const string ProjectXml = """
        <Project>
          <PropertyGroup>
            <ImageName>Not A Name</ImageName>
          </PropertyGroup>
          <ItemGroup>
            <ImageLayer Include="git;curl" Kind="AptPackages" />
            <ImageLayer Include="echo hi" Kind="Commands" />
            <ImageLayer Include="echo hi" Kind="Commands" Secrets="nope" />
            <ImageLayer Include="A%3BB" Kind="EnvVars">
              <Value>x</Value>
            </ImageLayer>
            <ImageSecret Include="token" FromFile="t" FromEnvironment="T" />
          </ItemGroup>
          <PropertyGroup>
            <ImageName>still-not valid</ImageName>
          </PropertyGroup>
        </Project>
        """;

    public TestContext TestContext { get; set; } = null!;

    private string WriteProject()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cimg-tasks-unit", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "App.csproj");
        File.WriteAllText(file, ProjectXml);
        return file;
    }

    [TestMethod]
    public void LocatorFindsTheNthMatchingItemElementAndTheWinningProperty()
    {
        var locator = new ProjectFileLocator(WriteProject());
        SourceLocation At(ITaskItem item, string kind, int occurrence, string type = ImageItemMapper.LayerItemType)
            => locator.Locate(new ItemOrigin(type, item, kind, occurrence));

        Assert.AreEqual((6, 5), Pos(At(Layer("curl", "AptPackages"), "AptPackages", 0)));
        Assert.AreEqual((7, 5), Pos(At(Layer("echo hi", "Commands"), "Commands", 0)));
        Assert.AreEqual((8, 5), Pos(At(Layer("echo hi", "Commands"), "Commands", 1)));
        Assert.AreEqual((9, 5), Pos(At(Layer("A;B", "EnvVars"), "EnvVars", 0)), "%3B in Include is unescaped before matching");
        Assert.AreEqual((6, 5), Pos(At(Layer("wget", "AptPackages"), "AptPackages", 0)), "no match: the first element of that Kind");
        Assert.AreEqual((12, 5), Pos(At(Layer("token", ""), "", 0, ImageItemMapper.SecretItemType)));
        Assert.AreEqual((0, 0), Pos(At(Layer("x", "Workdir"), "Workdir", 0)), "no element of that Kind: the project file");
        Assert.AreEqual((15, 5), Pos(locator.LocateProperty("ImageName")), "the last definition wins in MSBuild");
        Assert.AreEqual((0, 0), Pos(locator.LocateProperty("ImageTag")));
    }

    private static (int, int) Pos(SourceLocation location) => (location.Line, location.Column);

    [TestMethod]
    public void MappingErrorsAreLoggedWithCodeFileAndLine()
    {
        var project = WriteProject();
        var engine = new RecordingBuildEngine();
        var task = new GenerateImageDefinition
        {
            BuildEngine = engine,
            ProjectFile = project,
            IntermediateOutputPath = Path.Combine(Path.GetDirectoryName(project)!, "obj"),
            ImageBaseUri = "127.0.0.1:5000/local/busybox:static",
            Layers = [Layer("echo hi", "Commands"), Layer("echo hi", "Commands", ("Secrets", "nope"))],
        };
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(1, engine.Errors.Count);
        Assert.AreEqual($"{project}(8,5): error CIMG5005: The ImageLayer 'echo hi' uses secret 'nope', which no ImageSecret item declares.",
            engine.FormattedErrors.Single());

        var propertyEngine = new RecordingBuildEngine();
        task = new GenerateImageDefinition { BuildEngine = propertyEngine, ProjectFile = project, IntermediateOutputPath = task.IntermediateOutputPath, ImageName = "Not A Name" };
        Assert.IsFalse(task.Execute());
        StringAssert.StartsWith(propertyEngine.FormattedErrors.Single(), $"{project}(15,5): error {DiagnosticCodes.InvalidImageName}: The image name 'Not A Name'");
    }

    [TestMethod]
    public void SecretErrorsPointAtTheImageSecretElement()
    {
        var project = WriteProject();
        var engine = new RecordingBuildEngine();
        var task = new ComputeImageInputsStamp { BuildEngine = engine, ProjectFile = project, StampFile = Path.Combine(Path.GetDirectoryName(project)!, "s") };
        Assert.IsTrue(task.Execute(), "the stamp never fails on a broken definition: GenerateImageDefinition reports it");
        var generate = new GenerateImageDefinition
        {
            BuildEngine = engine,
            ProjectFile = project,
            IntermediateOutputPath = Path.Combine(Path.GetDirectoryName(project)!, "obj"),
            Secrets = [Layer("token", "", ("FromFile", "t"), ("FromEnvironment", "T"))],
        };
        Assert.IsFalse(generate.Execute());
        StringAssert.StartsWith(engine.FormattedErrors.Single(), $"{project}(12,5): error {DiagnosticCodes.ConflictingSecretMetadata}:");
    }

    [TestMethod]
    public void PublishRefusesBadBuildSettingsWithCodesInsteadOfCrashing()
    {
        var project = WriteProject();
        var directory = Path.GetDirectoryName(project)!;
        PublishImage Publish(RecordingBuildEngine engine) => new()
        {
            BuildEngine = engine,
            ProjectFile = project,
            DefinitionFiles = [Path.Combine(directory, "image.json")],
        };

        var missing = new RecordingBuildEngine();
        Assert.IsFalse(Publish(missing).Execute());
        Assert.AreEqual(DiagnosticCodes.ImageDefinitionMissing, missing.Errors.Single().Code);

        var badOutput = new RecordingBuildEngine();
        var task = Publish(badOutput);
        task.ImageOutput = "floppy";
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(DiagnosticCodes.InvalidProperty, badOutput.Errors.Single().Code);

        var noArchive = new RecordingBuildEngine();
        task = Publish(noArchive);
        task.ImageOutput = "oci";
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(DiagnosticCodes.ArchivePathRequired, noArchive.Errors.Single().Code);

        var badTimeout = new RecordingBuildEngine();
        task = Publish(badTimeout);
        task.ImageRegistryTimeout = "soon";
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(DiagnosticCodes.InvalidProperty, badTimeout.Errors.Single().Code);
    }

    [TestMethod]
    public void DryRunPrintsTheDockerfileAndUriAndRecordsTheResult()
    {
        var directory = Path.GetDirectoryName(WriteProject())!;
        var dockerfile = Path.Combine(directory, "Dockerfile");
        File.WriteAllText(dockerfile, "FROM scratch\n");
        var definition = new ImageDefinitionRecord("127.0.0.1:5000/app:abc", "abc", "127.0.0.1:5000", dockerfile, directory,
            ["linux/amd64"], [new SecretRecord("token", "TOKEN", null, false, "CI_TOKEN")]);
        File.WriteAllText(Path.Combine(directory, "image.json"), definition.ToJson());
        Assert.AreEqual(definition.Secrets[0].ToSecret(), ImageDefinitionRecord.Read(Path.Combine(directory, "image.json")).Secrets[0].ToSecret());

        var engine = new RecordingBuildEngine();
        var task = new PublishImage
        {
            BuildEngine = engine,
            ProjectFile = Path.Combine(directory, "App.csproj"),
            DefinitionFiles = [Path.Combine(directory, "image.json")],
            ImageDryRun = "true",
        };
        Assert.IsTrue(task.Execute());
        Assert.IsTrue(engine.Messages.Any(m => m.Message == "FROM scratch\n"));
        Assert.IsTrue(engine.Messages.Any(m => m.Message == "ImageUri: 127.0.0.1:5000/app:abc"));
        var item = task.PublishedImage.Single();
        Assert.AreEqual(("127.0.0.1:5000/app:abc", "abc", "true"), (item.GetMetadata("Uri"), item.GetMetadata("Identifier"), item.GetMetadata("Skipped")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(directory, "publish.json")), "\"skipped\": true");
    }
}
