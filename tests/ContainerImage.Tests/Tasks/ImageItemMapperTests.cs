using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tasks;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerImage.Tests.Tasks;

/// <summary>Items and properties -> model: grouping, metadata, secrets, bases, and who gets blamed for errors.</summary>
[TestClass]
public sealed class ImageItemMapperTests
{
    private const string ProjectDirectory = "/work/project";

    internal static ITaskItem Layer(string include, string kind, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(include);
        if (kind.Length > 0) item.SetMetadata("Kind", kind);
        foreach (var (name, value) in metadata) item.SetMetadata(name, value);
        return item;
    }

    private static ITaskItem Secret(string id, params (string Name, string Value)[] metadata) => Layer(id, "", metadata);

    private static MappedImage Map(ITaskItem[] layers, ITaskItem[]? secrets = null, params (string Name, string Value)[] properties)
        => ImageItemMapper.Map(properties.ToDictionary(p => p.Name, p => (string?)p.Value), layers, secrets ?? [], ProjectDirectory);

    private static ItemMappingException MapFails(ITaskItem[] layers, ITaskItem[]? secrets = null, params (string Name, string Value)[] properties)
        => Assert.ThrowsExactly<ItemMappingException>(() => Map(layers, secrets, properties));

    [TestMethod]
    public void ConsecutiveItemsOfOneKindWithTheSameMetadataFormOneLayer()
    {
        var mapped = Map(
        [
            Layer("git", "AptPackages"),
            Layer("curl", "AptPackages"),
            Layer("requests", "PipPackages", ("IndexUrl", "https://pypi.example/simple")),
            Layer("pandas", "PipPackages", ("IndexUrl", "https://pypi.example/simple")),
            Layer("numpy", "PipPackages"),
            Layer("vim", "AptPackages"),
        ]);
        var layers = mapped.Image.Layers;
        Assert.AreEqual(4, layers.Count);
        CollectionAssert.AreEqual(new[] { "git", "curl" }, ((AptPackagesLayer)layers[0]).Packages.ToArray());
        var pip = (PipPackagesLayer)layers[1];
        CollectionAssert.AreEqual(new[] { "requests", "pandas" }, pip.Packages.ToArray());
        Assert.AreEqual("https://pypi.example/simple", pip.Options.IndexUrl);
        CollectionAssert.AreEqual(new[] { "numpy" }, ((PipPackagesLayer)layers[2]).Packages.ToArray());
        CollectionAssert.AreEqual(new[] { "vim" }, ((AptPackagesLayer)layers[3]).Packages.ToArray());
        Assert.AreEqual("vim", mapped.LayerOrigins[3].Item.ItemSpec);
        Assert.AreEqual("requests", mapped.LayerOrigins[1].Item.ItemSpec);
    }

    [TestMethod]
    public void EnvVarsTakeTheirValueFromMetadataAndStayOneLayer()
    {
        var mapped = Map([Layer("A", "EnvVars", ("Value", "one; two")), Layer("B", "EnvVars", ("Value", "$HOME \"quoted\""))],
            properties: ("ImageBaseUri", "debian:12"));
        var env = (EnvVarsLayer)mapped.Image.Layers.Single();
        Assert.AreEqual(new EnvironmentVariable("A", "one; two"), env.Variables[0]);
        Assert.AreEqual(new EnvironmentVariable("B", "$HOME \"quoted\""), env.Variables[1]);
    }

    [TestMethod]
    public void CommandMetadataIsTheCommandAndIncludeOnlyItsLabel()
    {
        var mapped = Map([Layer("list files", "Commands", ("Command", "ls * ; echo $HOME @x 50%")), Layer("echo plain", "Commands")],
            properties: ("ImageBaseUri", "debian:12"));
        var commands = (CommandsLayer)mapped.Image.Layers.Single();
        CollectionAssert.AreEqual(new[] { "ls * ; echo $HOME @x 50%", "echo plain" }, commands.Commands.ToArray());
    }

    [TestMethod]
    public void PythonOptionsAndSecretsMapToTheModel()
    {
        var mapped = Map(
            [Layer("private-pkg", "PipPackages", ("ExtraIndexUrls", "https://a.example/simple;https://b.example/simple"),
                ("Pre", "true"), ("ExtraArgs", "--no-deps;--verbose"), ("Secrets", "token;netrc"))],
            [Secret("token", ("FromEnvironment", "CI_TOKEN"), ("AsEnvironmentVariable", "PIP_TOKEN")),
             Secret("netrc", ("FromFile", "secrets/netrc"), ("AsFile", "/root/.netrc"))]);
        var options = ((PipPackagesLayer)mapped.Image.Layers.Single()).Options;
        Assert.IsTrue(options.Pre);
        CollectionAssert.AreEqual(new[] { "https://a.example/simple", "https://b.example/simple" }, options.ExtraIndexUrls.ToArray());
        CollectionAssert.AreEqual(new[] { "--no-deps", "--verbose" }, options.ExtraArgs.ToArray());
        var token = options.Secrets[0];
        Assert.AreEqual(("token", "PIP_TOKEN", SecretSourceKind.EnvironmentVariable, "CI_TOKEN"), (token.Id, token.EnvironmentVariable, token.SourceKind, token.Source));
        var netrc = options.Secrets[1];
        Assert.AreEqual(("netrc", "/root/.netrc", SecretSourceKind.File, Path.GetFullPath("secrets/netrc", ProjectDirectory)),
            (netrc.Id, netrc.MountPath, netrc.SourceKind, netrc.Source));
    }

    [TestMethod]
    public void FileLayersResolveAgainstTheProjectDirectory()
    {
        var mapped = Map(
        [
            Layer("src", "SourceFolder", ("Destination", "/app")),
            Layer("conf/app.yaml", "SourceFile"),
            Layer("requirements.txt", "Requirements"),
            Layer("py/pyproject.toml", "UvProject", ("UvLock", "locks/uv.lock")),
            Layer(".dockerignore", "DockerIgnore"),
            Layer("/srv", "Workdir"),
        ]);
        var layers = mapped.Image.Layers;
        Assert.AreEqual(new SourceFolderLayer(Path.Combine(ProjectDirectory, "src"), "/app"), layers[0]);
        Assert.AreEqual(new SourceFileLayer(Path.Combine(ProjectDirectory, "conf", "app.yaml"), "."), layers[1]);
        Assert.AreEqual(Path.Combine(ProjectDirectory, "requirements.txt"), ((RequirementsLayer)layers[2]).File);
        var uv = (UvProjectLayer)layers[3];
        Assert.AreEqual(Path.Combine(ProjectDirectory, "locks", "uv.lock"), uv.UvLockFile);
        Assert.AreEqual(new DockerIgnoreLayer(Path.Combine(ProjectDirectory, ".dockerignore")), layers[4]);
        Assert.AreEqual(new WorkdirLayer("/srv"), layers[5]);
    }

    [TestMethod]
    public void PropertiesChooseBaseNamingAndDebianSettings()
    {
        var image = Map([],
            properties: [("ImageName", "team/app"), ("ImageRegistry", "127.0.0.1:5000"), ("ImageTag", "v1"), ("ImagePlatforms", "linux/amd64"),
                ("ImagePythonVersion", "3.11"), ("ImageInstallCoreLibrary", "false"), ("ImageDebianBaseImage", "127.0.0.1:5000/local/python:{python}"),
                ("ImageDebianAptPackages", "ca-certificates"), ("ImageUser", "runner"), ("ImagePythonInstaller", "pip")]).Image;
        Assert.AreEqual("127.0.0.1:5000/team/app:v1", image.Uri);
        var debian = (DebianBase)image.Base;
        Assert.AreEqual("127.0.0.1:5000/local/python:3.11", debian.BaseImage.ToString());
        Assert.IsFalse(debian.InstallCoreLibrary);
        Assert.AreEqual("runner", debian.User);
        CollectionAssert.AreEqual(new[] { "ca-certificates" }, debian.AptPackages.ToArray());
        Assert.AreEqual(PythonInstaller.Pip, image.Installer);
        CollectionAssert.AreEqual(new[] { Platform.LinuxAmd64 }, image.Platforms.ToArray());

        var existing = Map([], properties: ("ImageBaseUri", "127.0.0.1:5000/local/busybox:static")).Image;
        Assert.IsInstanceOfType<ExistingImageBase>(existing.Base);
        var dockerfile = Map([], properties: ("ImageDockerfile", "docker/Dockerfile")).Image;
        Assert.AreEqual(Path.Combine(ProjectDirectory, "docker", "Dockerfile"), ((DockerfileBase)dockerfile.Base).DockerfilePath);
    }

    [TestMethod]
    [DataRow("AptPackages", "Destination")]
    [DataRow("SourceFolder", "Secrets")]
    [DataRow("Workdir", "Value")]
    [DataRow("EnvVars", "Command")]
    public void MetadataAKindDoesNotAcceptIsRefusedAtTheItem(string kind, string metadata)
    {
        var item = Layer("x", kind, (metadata, "1"));
        var error = MapFails([item]);
        Assert.AreEqual(DiagnosticCodes.UnknownMetadata, error.Code);
        Assert.AreSame(item, error.Item!.Item);
        StringAssert.Contains(error.Message, $"'{metadata}'");
    }

    [TestMethod]
    public void MsBuildWellKnownMetadataIsNotTheUsers()
    {
        // TaskItem reports FullPath, Filename, ModifiedTime... among its metadata names.
        var item = Layer("git", "AptPackages");
        Assert.IsTrue(item.MetadataNames.Cast<string>().Contains("FullPath"));
        Assert.AreEqual(1, Map([item]).Image.Layers.Count);
    }

    [TestMethod]
    public void KindMustBeSetAndKnown()
    {
        Assert.AreEqual(DiagnosticCodes.MissingLayerKind, MapFails([Layer("git", "")]).Code);
        var error = MapFails([Layer("git", "Apt")]);
        Assert.AreEqual(DiagnosticCodes.UnknownLayerKind, error.Code);
        StringAssert.Contains(error.Message, "AptPackages");
    }

    [TestMethod]
    public void InvalidValuesBlameTheItemThatHoldsThem()
    {
        var good = Layer("git", "AptPackages");
        var bad = Layer("no spaces allowed", "AptPackages");
        var error = MapFails([good, bad]);
        Assert.AreEqual(DiagnosticCodes.InvalidAptPackage, error.Code);
        Assert.AreSame(bad, error.Item!.Item);

        var newline = Layer("multi", "Commands", ("Command", "echo a\necho b"));
        Assert.AreEqual(DiagnosticCodes.InvalidCommand, MapFails([newline]).Code);
        var envNewline = Layer("A", "EnvVars", ("Value", "a\nb"));
        Assert.AreEqual(DiagnosticCodes.InvalidEnvironmentVariableValue, MapFails([envNewline]).Code);
        Assert.AreEqual(DiagnosticCodes.InvalidBooleanMetadata, MapFails([Layer("x", "PipPackages", ("Pre", "yes"))]).Code);
    }

    [TestMethod]
    public void SecretsMustBeDeclaredOnceWithOneSourceAndOneMount()
    {
        var user = Layer("pkg", "PipPackages", ("Secrets", "missing"));
        var unknown = MapFails([user]);
        Assert.AreEqual(DiagnosticCodes.UnknownSecretReference, unknown.Code);
        Assert.AreSame(user, unknown.Item!.Item);

        Assert.AreEqual(DiagnosticCodes.ConflictingSecretMetadata, MapFails([], [Secret("s", ("FromEnvironment", "A"), ("FromFile", "f"))]).Code);
        Assert.AreEqual(DiagnosticCodes.ConflictingSecretMetadata, MapFails([], [Secret("s", ("AsEnvironmentVariable", "A"), ("AsFile", "/f"))]).Code);
        Assert.AreEqual(DiagnosticCodes.DuplicateSecret, MapFails([], [Secret("s"), Secret("s")]).Code);
        var unknownMetadata = MapFails([], [Secret("s", ("Mount", "/x"))]);
        Assert.AreEqual(DiagnosticCodes.UnknownSecretMetadata, unknownMetadata.Code);
        Assert.AreEqual(ImageItemMapper.SecretItemType, unknownMetadata.Item!.ItemType);
        Assert.AreEqual(DiagnosticCodes.InvalidSecretMount, MapFails([], [Secret("s", ("AsFile", "relative/path"))]).Code);
    }

    [TestMethod]
    public void PropertyErrorsBlameTheProperty()
    {
        var conflict = MapFails([], properties: [("ImageBaseUri", "debian:12"), ("ImageDockerfile", "Dockerfile")]);
        Assert.AreEqual((DiagnosticCodes.ConflictingBases, "ImageDockerfile"), (conflict.Code, conflict.PropertyName));
        Assert.IsNull(conflict.Item);

        var debianOnly = MapFails([], properties: [("ImageBaseUri", "debian:12"), ("ImageUser", "me")]);
        Assert.AreEqual((DiagnosticCodes.PropertyNeedsDebianBase, "ImageUser"), (debianOnly.Code, debianOnly.PropertyName));

        Assert.AreEqual("ImageName", MapFails([], properties: ("ImageName", "Upper Case")).PropertyName);
        Assert.AreEqual("ImageTag", MapFails([], properties: ("ImageTag", "-bad")).PropertyName);
        Assert.AreEqual("ImagePlatforms", MapFails([], properties: ("ImagePlatforms", "linux/amd64;linux/amd64")).PropertyName);
        Assert.AreEqual((DiagnosticCodes.InvalidPythonInstaller, "ImagePythonInstaller"),
            (MapFails([], properties: ("ImagePythonInstaller", "conda")) is var e ? (e.Code, e.PropertyName) : default));
        Assert.AreEqual((DiagnosticCodes.InvalidProperty, "ImageInstallCoreLibrary"),
            (MapFails([], properties: ("ImageInstallCoreLibrary", "maybe")) is var b ? (b.Code, b.PropertyName) : default));
    }

    [TestMethod]
    public void LayersOnADockerfileImageBlameTheFirstLayerItem()
    {
        var item = Layer("git", "AptPackages");
        var error = MapFails([item], properties: ("ImageDockerfile", "Dockerfile"));
        Assert.AreEqual(DiagnosticCodes.LayersOnDockerfileImage, error.Code);
        Assert.AreSame(item, error.Item!.Item);
    }

    private static IReadOnlyList<MappedImage> MapAll(ITaskItem[] layers, ITaskItem[] clones, params (string Name, string Value)[] properties)
        => ImageItemMapper.MapAll(properties.ToDictionary(p => p.Name, p => (string?)p.Value), layers, [], clones, ProjectDirectory);

    [TestMethod]
    public void ClonesCopyTheirSourceImageAndAddTheirOwnLayers()
    {
        var git = Layer("git", "AptPackages");
        var debug = Layer("DEBUG", "EnvVars", ("Value", "1"), ("Image", "app-dev"));
        var trace = Layer("TRACE", "EnvVars", ("Value", "1"), ("Image", "app-trace"));
        var images = MapAll([git, debug, trace],
            [Layer("app-dev", "", ("Registry", "127.0.0.1:5000"), ("Tag", "dev"), ("PythonVersion", "3.11")),
             Layer("app-trace", "", ("From", "app-dev"), ("Platforms", "linux/arm64"))],
            ("ImageName", "app"));
        Assert.AreEqual(3, images.Count);
        var (main, dev, tracing) = (images[0].Image, images[1].Image, images[2].Image);
        Assert.AreEqual(1, main.Layers.Count, "layers with Image metadata belong to the clone only");
        Assert.AreEqual("127.0.0.1:5000/app-dev:dev", dev.Uri);
        Assert.AreEqual(new PythonVersion(3, 11), dev.PythonVersion);
        CollectionAssert.AreEqual(new Layer[] { main.Layers[0], new EnvVarsLayer(ValueArray.Create(new EnvironmentVariable("DEBUG", "1"))) }, dev.Layers.ToArray());
        Assert.AreEqual(3, tracing.Layers.Count, "a clone of a clone has both clones' layers");
        Assert.AreEqual("127.0.0.1:5000/app-trace:dev", tracing.Uri, "registry and tag come along from the source image");
        CollectionAssert.AreEqual(new[] { Platform.LinuxArm64 }, tracing.Platforms.ToArray());
        CollectionAssert.AreEqual(new[] { git, debug, trace }, images[2].LayerOrigins.Select(o => o.Item).ToArray());
    }

    [TestMethod]
    public void CloneMistakesAreCodedAtTheCloneOrLayerItem()
    {
        var unknownFrom = Layer("b", "", ("From", "nowhere"));
        var error = Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [unknownFrom]));
        Assert.AreEqual(DiagnosticCodes.UnknownImageReference, error.Code);
        Assert.AreSame(unknownFrom, error.Item!.Item);

        var cycle = Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [Layer("a", "", ("From", "b")), Layer("b", "", ("From", "a"))]));
        Assert.AreEqual(DiagnosticCodes.ImageDependencyCycle, cycle.Code);
        StringAssert.Contains(cycle.Message, "a -> b -> a");

        var orphan = Layer("X", "EnvVars", ("Value", "1"), ("Image", "missing"));
        Assert.AreEqual(DiagnosticCodes.UnknownImageReference, Assert.ThrowsExactly<ItemMappingException>(() => MapAll([orphan], [])).Code);
        Assert.AreEqual(DiagnosticCodes.DuplicateImageName,
            Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [Layer("app", "")], ("ImageName", "app"))).Code);
        Assert.AreEqual(DiagnosticCodes.UnknownMetadata,
            Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [Layer("b", "", ("Kind", "x"), ("Name", "y"))])).Code);
        Assert.AreEqual(DiagnosticCodes.PythonVersionNotApplicable,
            Assert.ThrowsExactly<ItemMappingException>(() => MapAll([], [Layer("b", "", ("PythonVersion", "3.11"))], ("ImageBaseUri", "debian:12"))).Code);
    }
}
