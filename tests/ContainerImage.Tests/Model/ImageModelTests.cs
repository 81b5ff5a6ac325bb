using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Model;

[TestClass]
public sealed class ImageModelTests
{
    [TestMethod]
    public void WithMethodsReturnNewInstancesAndLeaveTheOriginalUnchanged()
    {
        var original = Image.FromDebianBase(name: "app");
        var changed = original.WithAptPackages("git");
        Assert.AreNotSame(original, changed);
        Assert.AreEqual(0, original.Layers.Count);
        Assert.AreEqual(1, changed.Layers.Count);
    }

    [TestMethod]
    public void EqualDefinitionsCompareEqual()
    {
        var a = Image.FromBase("127.0.0.1:5000/local/debian:bookworm").WithEnvVars([new("A", "1")]).WithCommands(["echo hi"]);
        var b = Image.FromBase("127.0.0.1:5000/local/debian:bookworm").WithEnvVars([new("A", "1")]).WithCommands(["echo hi"]);
        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
        Assert.AreNotEqual(a, b.WithCommands(["echo other"]));
    }

    [TestMethod]
    public void DebianBaseDefaultsToTwoPlatformsAndOthersToOne()
    {
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64" }, Image.FromDebianBase().Platforms.Select(p => p.ToString()).ToArray());
        CollectionAssert.AreEqual(new[] { "linux/amd64" }, Image.FromBase("debian:bookworm").Platforms.Select(p => p.ToString()).ToArray());
    }

    [TestMethod]
    public void LayersOnADockerfileImageAreRefused()
    {
        var image = Image.FromDockerfile("Dockerfile");
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => image.WithAptPackages("git"));
        Assert.AreEqual(DiagnosticCodes.LayersOnDockerfileImage, error.Code);
    }

    [TestMethod]
    [DataRow("Upper/Case")]
    [DataRow("a//b")]
    [DataRow("-lead")]
    [DataRow("")]
    [DataRow("a b")]
    public void InvalidNamesAreRefusedWithTheirCode(string name)
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => Image.FromDebianBase().WithName(name));
        Assert.AreEqual(DiagnosticCodes.InvalidImageName, error.Code);
        StringAssert.StartsWith(error.Message, "CIMG2001:");
    }

    [TestMethod]
    [DataRow("ubuntu:22.04", null, "ubuntu", "22.04")]
    [DataRow("my-registry.com/my-app:latest", "my-registry.com", "my-app", "latest")]
    [DataRow("127.0.0.1:5000/local/debian:bookworm", "127.0.0.1:5000", "local/debian", "bookworm")]
    [DataRow("localhost/x:1", "localhost", "x", "1")]
    public void ImageReferencesParse(string text, string? registry, string repository, string tag)
    {
        var reference = ImageReference.Parse(text);
        Assert.AreEqual(registry, reference.Registry);
        Assert.AreEqual(repository, reference.Repository);
        Assert.AreEqual(tag, reference.Tag);
        Assert.AreEqual(text, reference.ToString());
    }

    [TestMethod]
    [DataRow("ubuntu")]
    [DataRow("UBUNTU:1")]
    [DataRow("ubuntu:")]
    [DataRow("ubuntu@sha256:abc")]
    [DataRow("ubuntu:1;rm -rf /")]
    [DataRow("a b:1")]
    public void IncompleteOrInvalidBaseReferencesAreRefused(string text)
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => Image.FromBase(text));
        Assert.AreEqual(DiagnosticCodes.InvalidImageReference, error.Code);
    }

    [TestMethod]
    public void UriUsesTheExplicitTagAndTheRegistry()
    {
        var image = Image.FromBase("debian:bookworm", registry: "my-registry.com", name: "my-app").WithTag("v1");
        Assert.AreEqual("my-registry.com/my-app:v1", image.Uri);
        Assert.AreEqual("my-app:v1", image.WithRegistry(null).Uri);
    }

    [TestMethod]
    public void CloneChangesOnlyWhatItIsGiven()
    {
        var baseImage = Image.FromDebianBase(name: "my-app", registry: "my-registry.com");
        var dev = baseImage.Clone(name: "my-app-dev", pythonVersion: new PythonVersion(3, 11), additionalLayer: Layers.AptPackages(["git"]));
        Assert.AreEqual("my-app-dev", dev.Name);
        Assert.AreEqual("my-registry.com", dev.Registry);
        Assert.AreEqual(new PythonVersion(3, 11), dev.PythonVersion);
        Assert.AreEqual(1, dev.Layers.Count);
        Assert.AreEqual(new PythonVersion(3, 12), baseImage.PythonVersion);
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => Image.FromBase("debian:12").Clone(pythonVersion: new PythonVersion(3, 11)));
        Assert.AreEqual(DiagnosticCodes.PythonVersionNotApplicable, error.Code);
    }

    [TestMethod]
    [DataRow("linux/amd64", "linux/amd64")]
    [DataRow("linux/arm64/v8", "linux/arm64/v8")]
    public void PlatformsParse(string text, string expected) => Assert.AreEqual(expected, Platform.Parse(text).ToString());

    [TestMethod]
    [DataRow("linux")]
    [DataRow("Linux/AMD64")]
    [DataRow("linux/amd64;rm")]
    [DataRow("a/b/c/d")]
    public void InvalidPlatformsAreRefused(string text)
        => Assert.AreEqual(DiagnosticCodes.InvalidPlatform, Assert.ThrowsExactly<ImageDefinitionException>(() => Platform.Parse(text)).Code);

    [TestMethod]
    public void DuplicatePlatformsAreRefused()
        => Assert.AreEqual(DiagnosticCodes.InvalidPlatformList, Assert.ThrowsExactly<ImageDefinitionException>(
            () => Image.FromDebianBase(platforms: [Platform.LinuxAmd64, Platform.Parse("linux/amd64")])).Code);

    [TestMethod]
    public void RequirementsMustBeTxt()
        => Assert.AreEqual(DiagnosticCodes.RequirementsNotTxt, Assert.ThrowsExactly<ImageDefinitionException>(
            () => Image.FromDebianBase().WithRequirements("requirements.in")).Code);

    [TestMethod]
    public void SecretsWithTheSameIdButDifferentSettingsConflict()
    {
        var image = Image.FromDebianBase()
            .WithAptPackages(["git"], [Secret.AsEnvironmentVariable("token")])
            .WithCommands(["true"], [Secret.AsFile("token", "/run/token")]);
        Assert.AreEqual(DiagnosticCodes.ConflictingSecret, Assert.ThrowsExactly<ImageDefinitionException>(() => image.Secrets).Code);
    }
}
