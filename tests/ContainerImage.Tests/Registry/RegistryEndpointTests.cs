using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Tests.Registry;

[TestClass]
public sealed class RegistryEndpointTests
{
    private static RegistryEndpoint For(string uri, params string[] insecure) => RegistryEndpoint.For(ImageReference.Parse(uri), insecure);

    [TestMethod]
    [DataRow("debian:bookworm", "https://registry-1.docker.io/v2/library/debian/manifests/bookworm")]
    [DataRow("docker.io/team/app:1", "https://registry-1.docker.io/v2/team/app/manifests/1")]
    [DataRow("index.docker.io/debian:12", "https://registry-1.docker.io/v2/library/debian/manifests/12")]
    [DataRow("ghcr.io/org/app:2", "https://ghcr.io/v2/org/app/manifests/2")]
    [DataRow("127.0.0.1:5000/local/busybox:static", "http://127.0.0.1:5000/v2/local/busybox/manifests/static")]
    [DataRow("127.1.2.3:8080/a:b", "http://127.1.2.3:8080/v2/a/manifests/b")]
    [DataRow("localhost:5000/a:b", "http://localhost:5000/v2/a/manifests/b")]
    [DataRow("[::1]:5000/a:b", "http://[::1]:5000/v2/a/manifests/b")]
    [DataRow("10.0.0.1:5000/a:b", "https://10.0.0.1:5000/v2/a/manifests/b")]
    [DataRow("reg.example/a@sha256:1e6d7c05834e6932b7b8aed16e67cca88896b89511f9845a401a00f434915790",
        "https://reg.example/v2/a/manifests/sha256:1e6d7c05834e6932b7b8aed16e67cca88896b89511f9845a401a00f434915790")]
    public void MapsReferencesToManifestAddresses(string uri, string expected)
        => Assert.AreEqual(expected, For(uri).ManifestUri.ToString());

    [TestMethod]
    public void InsecureRegistriesUsePlainHttpWhateverTheirSpelling()
    {
        Assert.AreEqual("http", For("reg.example:5000/a:b", "reg.example:5000").BaseUri.Scheme);
        Assert.AreEqual("http", For("reg.example:5000/a:b", "http://REG.example:5000/").BaseUri.Scheme);
        Assert.AreEqual("https", For("reg.example:5000/a:b", "reg.example").BaseUri.Scheme);
    }

    [TestMethod]
    public void DockerHubCredentialsUseDockersKey()
    {
        Assert.AreEqual("https://index.docker.io/v1/", For("debian:12").CredentialKey);
        Assert.AreEqual("reg.example:5000", For("reg.example:5000/a:b").CredentialKey);
    }

    [TestMethod]
    [DataRow("https://index.docker.io/v1/", "docker.io")]
    [DataRow("registry-1.docker.io", "docker.io")]
    [DataRow("HTTP://Reg.Example:5000/path", "reg.example:5000")]
    public void NormalizesConfigKeys(string key, string expected) => Assert.AreEqual(expected, RegistryEndpoint.NormalizeHost(key));
}
