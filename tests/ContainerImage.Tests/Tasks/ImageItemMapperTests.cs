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
}
