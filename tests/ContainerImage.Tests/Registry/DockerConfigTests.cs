using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Registry;

[TestClass]
public sealed class DockerConfigTests
{
    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [TestMethod]
    public void ReadsBase64AuthAndUsernamePasswordEntriesUnderAnyKeySpelling()
    {
        var config = DockerConfig.Parse($$$"""
            {"auths": {
              "https://reg.example:5000/v1/": {"auth": "{{{Base64("alice:pa:ss")}}}"},
              "other.example": {"username": "bob", "password": "pw"},
              "https://index.docker.io/v1/": {"auth": "{{{Base64("hub:hubpw")}}}"}
            }}
            """, "config.json", null);
        var alice = config.InlineCredentialsFor("reg.example:5000")!;
        Assert.AreEqual("alice", alice.Username);
        Assert.AreEqual("pa:ss", alice.Secret);
        Assert.AreEqual("bob", config.InlineCredentialsFor("other.example")!.Username);
        Assert.AreEqual("hub", config.InlineCredentialsFor("docker.io")!.Username);
        Assert.IsNull(config.InlineCredentialsFor("unknown.example"));
    }

    [TestMethod]
    public void AnIdentityTokenIsKeptAsOne()
    {
        var config = DockerConfig.Parse("""{"auths":{"reg.example":{"auth":"","identitytoken":"refresh"} } }""", "c", null);
        Assert.IsTrue(config.InlineCredentialsFor("reg.example")!.IsIdentityToken);
    }

    [TestMethod]
    public void ReadsHelpersAndStore()
    {
        var config = DockerConfig.Parse("""{"credHelpers":{"reg.example":"ecr-login"},"credsStore":"desktop"}""", "c", null);
        Assert.AreEqual("ecr-login", config.HelperFor("reg.example"));
        Assert.IsNull(config.HelperFor("other.example"));
        Assert.AreEqual("desktop", config.CredentialsStore);
    }

    [TestMethod]
    public void InvalidJsonIsACimg1003WarningThatQuotesNothingFromTheFile()
    {
        var warnings = new List<ImageProblem>();
        var config = DockerConfig.Parse("{\"auths\": {\"reg\": {\"auth\": supersecret}}}", "/home/u/.docker/config.json", warnings.Add);
        Assert.IsNull(config.InlineCredentialsFor("reg"));
        Assert.AreEqual(1, warnings.Count);
        Assert.AreEqual(DiagnosticCodes.DockerConfigInvalid, warnings[0].Code);
        StringAssert.Contains(warnings[0].Message, "/home/u/.docker/config.json");
        Assert.IsFalse(warnings[0].Message.Contains("supersecret"));
    }

    [TestMethod]
    public void AnAuthThatIsNotBase64UserColonPasswordIsAWarning()
    {
        var warnings = new List<ImageProblem>();
        var config = DockerConfig.Parse($$$"""{"auths":{"reg":{"auth":"%%%"},"reg2":{"auth":"{{{Base64("nocolon")}}}"} } }""", "c", warnings.Add);
        Assert.IsNull(config.InlineCredentialsFor("reg"));
        Assert.IsNull(config.InlineCredentialsFor("reg2"));
        Assert.AreEqual(2, warnings.Count);
        Assert.IsFalse(warnings.Any(w => w.Message.Contains("nocolon")));
    }

    [TestMethod]
    public void AMissingFileMeansNoCredentialsAndNoWarning()
    {
        var warnings = new List<ImageProblem>();
        var config = DockerConfig.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json"), warnings.Add);
        Assert.IsNull(config.InlineCredentialsFor("reg.example"));
        Assert.AreEqual(0, warnings.Count);
    }

    [TestMethod]
    public void TheDefaultPathFollowsDockerConfig()
    {
        using var folder = new TempDirectory();
        using var scope = new EnvironmentScope("DOCKER_CONFIG", folder.Path);
        Assert.AreEqual(Path.Combine(folder.Path, "config.json"), DockerConfig.DefaultPath());
    }

    [TestMethod]
    public void CredentialsNeverPrintTheirSecret()
        => Assert.IsFalse(new RegistryCredentials("u", "topsecret").ToString().Contains("topsecret"));

    [TestMethod]
    public async Task AHelperEntryWinsOverInlineAuths()
    {
        using var folder = new TempDirectory();
        folder.WriteExecutable("bin/docker-credential-cimgunit",
            "#!/bin/sh\nread server\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"from-helper\",\"Secret\":\"s\"}' \"$server\"\n");
        using var path = EnvironmentScope.PrependPath(Path.Combine(folder.Path, "bin"));
        var config = DockerConfig.Parse($$$"""{"auths":{"reg.example":{"auth":"{{{Base64("inline:pw")}}}"}},"credHelpers":{"reg.example":"cimgunit"}}""", "c", null);
        var endpoint = RegistryEndpoint.For(ImageReference.Parse("reg.example/a:b"), []);
        var credentials = await config.ResolveAsync(endpoint, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.AreEqual("from-helper", credentials!.Username);
    }
}
