using System.IO.Compression;
using System.Text;
using ContainerImage.Tests.Infrastructure;
using E2EEngine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// A registry with htpasswd authentication and a docker config holding the wrong password: through
/// MSBuild, the check says the registry refused the credentials (naming the host), the push fails with a
/// coded error, nothing is recorded as published, and the password appears in no log, binlog or obj/ file.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class FaultAuthEngineTests : FaultEngineTest
{
    [TestMethod]
    public async Task RefusedCredentialsAreCodedNameTheRegistryAndNeverShowThePassword()
    {
        E2EEngine.Require();
        var wrongPassword = "wrong-" + Guid.NewGuid().ToString("N");
        using var registry = await LocalRegistry.StartAsync("cimg", "right-" + Guid.NewGuid().ToString("N"));
        using var config = new TempDirectory("cimg-faults-dockerconfig");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("cimg:" + wrongPassword));
        config.Write("config.json", $$"""{ "auths": { "{{registry.Address}}": { "auth": "{{auth}}" } } }""");
        var project = Copy("base-uri");
        var name = UniqueName("auth");
        var environment = new Dictionary<string, string>(E2EEngine.ChildEnvironment) { ["DOCKER_CONFIG"] = config.Path };

        var (refused, _) = Publish(project, environment, $"ImageRegistry={registry.Address}", "ImageName=" + name, "ImageRegistryRetries=0");
        Failed(project, refused);
        StringAssert.Contains(refused.Output, "warning CIMG1002", "refused credentials have their own code");
        StringAssert.Contains(refused.Output, $"Registry '{registry.Address}' refused the credentials", "the message names the registry");
        StringAssert.Contains(refused.Output, "error CIMG3111", "the refused push (from the layout folder, over HTTP) is a coded error");
        StringAssert.Contains(refused.Output, registry.Address, "the error names the registry");
        AssertNotUpToDate(refused, "credentials refused");
        AssertNothingRecorded(project, name, "credentials refused");
        Assert.IsFalse(refused.Output.Contains("MSB4018", StringComparison.Ordinal), "never an MSBuild crash");

        var secrets = new[] { wrongPassword, auth };
        foreach (var secret in secrets) Assert.IsFalse(refused.Output.Contains(secret, StringComparison.Ordinal), "the password is not in the console log");
        foreach (var file in Directory.GetFiles(project.Directory, "*", SearchOption.AllDirectories))
        {
            var bytes = file.EndsWith(".binlog", StringComparison.Ordinal) ? Decompress(file) : File.ReadAllBytes(file);
            var text = Encoding.UTF8.GetString(bytes) + Encoding.Unicode.GetString(bytes);
            foreach (var secret in secrets) Assert.IsFalse(text.Contains(secret, StringComparison.Ordinal), $"the password is not in {file}");
        }
    }

    private static byte[] Decompress(string binlog)
    {
        using var input = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
