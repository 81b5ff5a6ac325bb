using ContainerImage.Build;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Registry;

/// <summary>The existence check against real registries: the shared one, and private ones with htpasswd.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class RegistryClientEngineTests
{
    private static string? s_pushedUri;
    private static string? s_pushedDigest;

    [TestInitialize]
    public async Task PushOnce()
    {
        await Engine.RequireAsync();
        if (s_pushedUri is not null) return;
        using var folder = new TempDirectory();
        var uri = $"{Engine.RegistryAddress}/{Engine.UniqueRepository("cimg-registry")}:v1";
        var request = new BuildRequest
        {
            ContextDirectory = folder.Path,
            DockerfilePath = folder.Write("Dockerfile", $"FROM {Engine.BusyboxImage}\nRUN echo {Guid.NewGuid():N} > /id\n"),
            Tags = [uri],
            Platforms = [Platform.LinuxAmd64],
            MetadataFile = Path.Combine(folder.Path, "metadata.json"),
        };
        var result = (await new BuildRunner().RunAsync(request, _ => { })).EnsureSuccess(uri);
        (s_pushedUri, s_pushedDigest) = (uri, result.Digest);
    }

    [TestMethod]
    public async Task APushedImageExistsWithItsDigest()
    {
        using var client = new RegistryClient();
        var result = await client.CheckAsync(s_pushedUri!, [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
        Assert.AreEqual(s_pushedDigest, result.Digest);
    }

    [TestMethod]
    public async Task AnUnpushedTagIsMissing()
    {
        using var client = new RegistryClient();
        var result = await client.CheckAsync(s_pushedUri![..s_pushedUri!.LastIndexOf(':')] + ":never-pushed", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Missing, result.State);
        Assert.IsNotNull(result.Detail);
    }

    [TestMethod]
    public async Task APlatformTheImageLacksIsMissing()
    {
        using var client = new RegistryClient();
        var result = await client.CheckAsync(s_pushedUri!, [Platform.LinuxAmd64, Platform.Parse("linux/ppc64le")]);
        Assert.AreEqual(ExistenceState.Missing, result.State);
        StringAssert.Contains(result.Detail, "linux/ppc64le");
        StringAssert.Contains(result.Detail, "linux/amd64");
    }

    [TestMethod]
    public async Task AnHtpasswdRegistryNeedsTheRightCredentials()
    {
        using var registry = await LocalRegistry.StartAsync("cimg", "right-password");
        await registry.CopyFromAsync(Engine.BusyboxImage, "team/busybox:auth", "cimg", "right-password");
        using var folder = new TempDirectory();
        string ConfigWith(string password) => folder.Write($"{password}.json",
            $$$"""{"auths":{"{{{registry.Address}}}":{"auth":"{{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("cimg:" + password))}}}"} } }""");
        var uri = $"{registry.Address}/team/busybox:auth";

        using (var client = new RegistryClient(new RegistryOptions { DockerConfigPath = ConfigWith("right-password") }))
        {
            var result = await client.CheckAsync(uri, [Platform.LinuxAmd64]);
            Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail);
            Assert.IsNotNull(result.Digest);
        }
        using (var client = new RegistryClient(new RegistryOptions { DockerConfigPath = ConfigWith("wrong-password") }))
        {
            var result = await client.CheckAsync(uri, [Platform.LinuxAmd64]);
            Assert.AreEqual(ExistenceState.Unknown, result.State);
            Assert.IsTrue(result.AuthenticationFailed);
            Assert.IsFalse(result.Detail!.Contains("wrong-password"));
        }
        using (var client = new RegistryClient(new RegistryOptions { DockerConfigPath = Path.Combine(folder.Path, "absent.json") }))
        {
            var result = await client.CheckAsync(uri, [Platform.LinuxAmd64]);
            Assert.AreEqual(ExistenceState.Unknown, result.State);
            Assert.IsTrue(result.AuthenticationFailed);
        }
    }

    [TestMethod]
    public async Task ACredentialHelperOnPathAnswersForAnHtpasswdRegistry()
    {
        using var registry = await LocalRegistry.StartAsync("helper-user", "helper-password");
        await registry.CopyFromAsync(Engine.BusyboxImage, "team/busybox:helper", "helper-user", "helper-password");
        using var folder = new TempDirectory();
        var asked = Path.Combine(folder.Path, "asked");
        folder.WriteExecutable("bin/docker-credential-cimgtest",
            $"#!/bin/sh\ncat > '{asked}'\necho '{{\"Username\":\"helper-user\",\"Secret\":\"helper-password\"}}'\n");
        var config = folder.Write("config.json", $$$"""{"credHelpers":{"{{{registry.Address}}}":"cimgtest"}}""");
        using var path = EnvironmentScope.PrependPath(Path.Combine(folder.Path, "bin"));
        var warnings = new List<ContainerImage.Diagnostics.ImageProblem>();
        using var client = new RegistryClient(new RegistryOptions { DockerConfigPath = config, OnWarning = warnings.Add });
        var result = await client.CheckAsync($"{registry.Address}/team/busybox:helper", [Platform.LinuxAmd64]);
        Assert.AreEqual(ExistenceState.Exists, result.State, result.Detail + string.Join(";", warnings.Select(w => w.Message)));
        Assert.AreEqual(registry.Address, File.ReadAllText(asked));
    }
}
