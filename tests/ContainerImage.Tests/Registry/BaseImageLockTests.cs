using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Tests.Registry;

[TestClass]
public sealed class BaseImageLockTests
{
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [TestMethod]
    public void TheSameDigestPasses() => BaseImageLock.Verify("busybox:1", A, A);

    [TestMethod]
    public void AnotherDigestIsCIMG1031NamingBoth()
    {
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => BaseImageLock.Verify("busybox:1", A, B));
        Assert.AreEqual(DiagnosticCodes.BaseImageMoved, e.Code);
        StringAssert.StartsWith(e.Message, "CIMG1031: The base image 'busybox:1' moved: it is now " + B + ", but the lock expects " + A);
    }

    [TestMethod]
    [DataRow("latest")]
    [DataRow("sha256:AAAA")]
    [DataRow("")]
    public void AMalformedDigestIsCIMG2073(string digest)
    {
        Assert.AreEqual(DiagnosticCodes.InvalidDigest, Assert.ThrowsExactly<ImageDefinitionException>(() => BaseImageLock.Verify("busybox:1", digest, A)).Code);
        Assert.AreEqual(DiagnosticCodes.InvalidDigest, Assert.ThrowsExactly<ImageDefinitionException>(() => BaseImageLock.Verify("busybox:1", A, digest)).Code);
    }
}
