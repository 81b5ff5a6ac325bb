using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Model;

[TestClass]
public sealed class ValueRulesTests
{
    private static string CodeOf(Action action) => Assert.ThrowsExactly<ImageDefinitionException>(action).Code;

    [TestMethod]
    [DataRow("MY_VAR")]
    [DataRow("_x1")]
    public void ValidEnvironmentNamesAreAccepted(string name)
        => Assert.AreEqual(1, Image.FromDebianBase().WithEnvVars([new(name, "v")]).Layers.Count);

    [TestMethod]
    [DataRow("1X")]
    [DataRow("A-B")]
    [DataRow("A B")]
    [DataRow("A=B")]
    [DataRow("")]
    public void InvalidEnvironmentNamesAreRefused(string name)
        => Assert.AreEqual(DiagnosticCodes.InvalidEnvironmentVariableName, CodeOf(() => Image.FromDebianBase().WithEnvVars([new(name, "v")])));

    [TestMethod]
    [DataRow("a\nb")]
    [DataRow("a\rb")]
    [DataRow("a\0b")]
    public void EnvironmentValuesWithLineBreaksAreRefused(string value)
        => Assert.AreEqual(DiagnosticCodes.InvalidEnvironmentVariableValue, CodeOf(() => Image.FromDebianBase().WithEnvVars([new("A", value)])));

    [TestMethod]
    [DataRow("$HOME and \"quotes\"; rm -rf / `x` \\ é")]
    [DataRow("")]
    public void EnvironmentValuesWithMetacharactersAreKeptAsTheyAre(string value)
    {
        var layer = (EnvVarsLayer)Image.FromDebianBase().WithEnvVars([new("A", value)]).Layers[0];
        Assert.AreEqual(value, layer.Variables[0].Value);
    }

    [TestMethod]
    [DataRow("echo a\necho b", "newline")]
    [DataRow("echo a \\", "ends with")]
    [DataRow("   ", "empty")]
    [DataRow("RUN echo hi", "do not start it with RUN")]
    public void CommandsThatWouldChangeTheDockerfileAreRefused(string command, string why)
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => Image.FromDebianBase().WithCommands([command]));
        Assert.AreEqual(DiagnosticCodes.InvalidCommand, error.Code);
        StringAssert.Contains(error.Message, why);
    }

    [TestMethod]
    [DataRow("git")]
    [DataRow("libssl3")]
    [DataRow("g++")]
    [DataRow("python3.11-venv")]
    [DataRow("curl=7.88.1-10+deb12u5")]
    [DataRow("nginx/bookworm-backports")]
    [DataRow("libc6:arm64")]
    public void AptPackageNamesAreAccepted(string package)
        => Assert.AreEqual(1, Image.FromDebianBase().WithAptPackages(package).Layers.Count);

    [TestMethod]
    [DataRow("Git")]
    [DataRow("git; rm -rf /")]
    [DataRow("-y")]
    [DataRow("a b")]
    [DataRow("$(id)")]
    public void InvalidAptPackagesAreRefused(string package)
        => Assert.AreEqual(DiagnosticCodes.InvalidAptPackage, CodeOf(() => Image.FromDebianBase().WithAptPackages(package)));

    [TestMethod]
    public void AnEmptyPackageListIsRefused()
        => Assert.AreEqual(DiagnosticCodes.EmptyLayer, CodeOf(() => Image.FromDebianBase().WithAptPackages()));

    [TestMethod]
    [DataRow("--index-url=x")]
    [DataRow("requests\n--pre")]
    public void PipRequirementsThatAreOptionsOrMultilineAreRefused(string requirement)
        => Assert.AreEqual(DiagnosticCodes.InvalidPipRequirement, CodeOf(() => Image.FromDebianBase().WithPipPackages(requirement)));

    [TestMethod]
    public void PipRequirementsWithMarkersAndExtrasAreAccepted()
        => Assert.AreEqual(1, Image.FromDebianBase().WithPipPackages("requests[socks]>=2,<3; python_version < \"3.13\"").Layers.Count);

    [TestMethod]
    [DataRow("ftp://x")]
    [DataRow("not a url")]
    [DataRow("https://x/simple\" --trusted-host evil")]
    public void IndexUrlsMustBeHttp(string url)
        => Assert.AreEqual(DiagnosticCodes.InvalidIndexUrl, CodeOf(() => Image.FromDebianBase().WithPipPackages(["x"], new PipOptions { IndexUrl = url })));

    [TestMethod]
    [DataRow("/srv/$APP")]
    [DataRow("/srv/\"x\"")]
    [DataRow("/srv/a\nb")]
    [DataRow("../etc")]
    [DataRow("")]
    [DataRow("app")]
    [DataRow("__.")]
    public void UnsafeImagePathsAreRefused(string path)
        => Assert.AreEqual(DiagnosticCodes.InvalidImagePath, CodeOf(() => Image.FromDebianBase().WithWorkdir(path)));

    [TestMethod]
    public void PathsWithSpacesAreAccepted()
        => Assert.AreEqual("/srv/my app", ((WorkdirLayer)Image.FromDebianBase().WithWorkdir("/srv/my app").Layers[0]).Path);

    [TestMethod]
    public void SecretsDefaultToAnEnvironmentVariableNamedAfterTheirId()
    {
        var secret = Secret.AsEnvironmentVariable("GITHUB_PAT");
        Assert.AreEqual("GITHUB_PAT", secret.EnvironmentVariable);
        Assert.AreEqual(SecretSourceKind.EnvironmentVariable, secret.SourceKind);
        Assert.AreEqual("GITHUB_PAT", secret.Source);
        Assert.IsNull(secret.MountPath);
    }

    [TestMethod]
    public void FileSecretsNeedAnAbsoluteSafeMountPath()
    {
        Assert.AreEqual("/etc/apt/apt-secret", Secret.AsFile("apt-secret", "/etc/apt/apt-secret").MountPath);
        Assert.AreEqual(DiagnosticCodes.InvalidSecretMount, CodeOf(() => Secret.AsFile("s", "relative/path")));
        Assert.AreEqual(DiagnosticCodes.InvalidSecretMount, CodeOf(() => Secret.AsFile("s", "/a,type=bind")));
        Assert.AreEqual(DiagnosticCodes.InvalidSecretId, CodeOf(() => Secret.AsEnvironmentVariable("a b")));
    }

    [TestMethod]
    public void SecretSourcesCanBeFilesOrVariables()
    {
        var fromFile = Secret.AsEnvironmentVariable("token").FromFile("/home/me/token.txt");
        Assert.AreEqual(SecretSourceKind.File, fromFile.SourceKind);
        Assert.IsFalse(fromFile.IsAvailable());
        var fromVar = Secret.AsEnvironmentVariable("token").FromEnvironment("CI_TOKEN");
        Assert.IsTrue(fromVar.IsAvailable(name => name == "CI_TOKEN" ? "x" : null));
        Assert.IsFalse(fromVar.IsAvailable(_ => null));
    }
}
