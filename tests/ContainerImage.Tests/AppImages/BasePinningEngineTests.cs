using System.Text.Json;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;
using Docker = ContainerImage.Tests.Dockerfile.Engine;

namespace ContainerImage.Tests.AppImages;

/// <summary>
/// Base image pinning against the real registry, on a base of this test's own (a moving tag under
/// cimg-appimage/base, never the shared local/* images, which others use).
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class BasePinningEngineTests
{
    [TestInitialize]
    public Task RequireEngine() => Engine.RequireAsync();

    private static Task<(string Dockerfile, string Digest)> PushBaseAsync(string uri, string version)
    {
        var reference = ImageReference.Parse(uri);
        var image = Image.FromBase(Engine.BusyboxImage, registry: reference.Registry, name: reference.Repository)
            .WithTag(reference.Tag)
            .WithCommands(["echo " + version + " > /base-version"]);
        return ImagePublisher.PushAsync(image);
    }

    [TestMethod]
    public async Task APinnedBuildKeepsItsBaseWhenTheTagMovesAndTheLockCheckSaysSo()
    {
        var baseUri = $"{Engine.RegistryAddress}/cimg-appimage/base:moving-{Guid.NewGuid():N}"[..^20];
        var (_, firstDigest) = await PushBaseAsync(baseUri, "v1");
        using var client = new RegistryClient();

        var resolved = await client.ResolveDigestAsync(baseUri, [Platform.LinuxAmd64]);
        Assert.AreEqual(firstDigest, resolved, "the resolved digest is the pushed manifest's");
        Assert.AreEqual(firstDigest, await client.VerifyDigestAsync(baseUri, firstDigest, [Platform.LinuxAmd64]), "the lock holds");

        var app = Image.FromBase(baseUri, registry: Engine.RegistryAddress, name: Engine.UniqueRepository("cimg-appimage/pinned"))
            .WithEntrypoint("/bin/cat", "/base-version");
        var pinned = await client.PinBaseAsync(app);
        Assert.AreEqual(firstDigest, ((ExistingImageBase)pinned.Base).PinnedDigest);
        var (dockerfile, _) = await ImagePublisher.PushAsync(pinned);
        StringAssert.StartsWith(dockerfile, $"FROM {baseUri}@{firstDigest}\n");

        // Move the tag to another image: the lock check fails with its code, a pinned build does not move.
        var (_, secondDigest) = await PushBaseAsync(baseUri, "v2");
        Assert.AreNotEqual(firstDigest, secondDigest);
        var moved = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(() => client.VerifyDigestAsync(baseUri, firstDigest, [Platform.LinuxAmd64]));
        Assert.AreEqual(DiagnosticCodes.BaseImageMoved, moved.Code);
        StringAssert.Contains(moved.Message, secondDigest);
        StringAssert.Contains(moved.Message, firstDigest);

        var rebuilt = pinned.WithTag("rebuilt-after-move");
        await ImagePublisher.PushAsync(rebuilt);
        var repinned = await client.PinBaseAsync(app);
        Assert.AreNotEqual(pinned.Identifier, repinned.Identifier, "re-pinning the moved tag gives a new identifier");
        await ImagePublisher.PushAsync(repinned);
        try
        {
            ImagePublisher.Pull(rebuilt.Uri);
            ImagePublisher.Pull(repinned.Uri);
            Assert.AreEqual("v1\n", ImagePublisher.Run(rebuilt.Uri, []), "the pinned definition still builds on the first base");
            Assert.AreEqual("v2\n", ImagePublisher.Run(repinned.Uri, []));
            using var inspect = JsonDocument.Parse(Docker.Docker(["image", "inspect", rebuilt.Uri]).Output);
            var labels = inspect.RootElement[0].GetProperty("Config").GetProperty("Labels");
            Assert.AreEqual(baseUri, labels.GetProperty("org.opencontainers.image.base.name").GetString());
            Assert.AreEqual(firstDigest, labels.GetProperty("org.opencontainers.image.base.digest").GetString());
        }
        finally
        {
            ImagePublisher.Remove(rebuilt.Uri, repinned.Uri);
        }
    }

    [TestMethod]
    public async Task AMissingBaseOrPlatformCannotBeResolved()
    {
        using var client = new RegistryClient();
        var missing = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(
            () => client.ResolveDigestAsync($"{Engine.RegistryAddress}/cimg-appimage/base:never-pushed", [Platform.LinuxAmd64]));
        Assert.AreEqual(DiagnosticCodes.BaseDigestUnresolved, missing.Code);
        var platform = await Assert.ThrowsExactlyAsync<ImageDefinitionException>(
            () => client.ResolveDigestAsync(Engine.BusyboxImage, [Platform.Parse("linux/s390x")]));
        Assert.AreEqual(DiagnosticCodes.BaseDigestUnresolved, platform.Code);
        StringAssert.Contains(platform.Message, "linux/s390x");
        var busybox = await client.ResolveDigestAsync(Engine.BusyboxImage, [Platform.LinuxAmd64]);
        Assert.IsTrue(ImageNames.IsDigest(busybox), busybox);
    }
}
