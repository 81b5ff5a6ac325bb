using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Model;

/// <summary>Images derived from another image of the same definition set, and their build order.</summary>
[TestClass]
public sealed class DerivedImageTests
{
    private static readonly Image Parent = Image.FromDebianBase(PythonVersion.Parse("3.11"), registry: "127.0.0.1:5000/team", name: "base",
            platforms: [Platform.LinuxAmd64, Platform.LinuxArm64])
        .WithPythonInstaller(PythonInstaller.Pip);

    [TestMethod]
    public void AChildInheritsPlatformsInstallerRegistryAndDebianConventions()
    {
        var child = Image.FromParent(Parent, "web");
        Assert.AreEqual(Parent, ((ParentImageBase)child.Base).Parent);
        Assert.AreEqual("Parent", child.Base.Kind);
        CollectionAssert.AreEqual(Parent.Platforms.ToArray(), child.Platforms.ToArray());
        Assert.AreEqual(PythonInstaller.Pip, child.Installer);
        Assert.AreEqual("127.0.0.1:5000/team", child.Registry);
        Assert.AreEqual("web", child.Name);
        Assert.AreSame(Parent.Base, child.DebianRoot);
        Assert.AreEqual(PythonVersion.Parse("3.11"), child.PythonVersion);
        Assert.AreEqual("app", child.RuntimeUser);
        Assert.AreEqual(child, Parent.Derive("web"));
        Assert.AreEqual("other.test", Image.FromParent(Parent, registry: "other.test").Registry);
    }

    [TestMethod]
    public void RuntimeUserFollowsTheLastUserLayerUpTheChain()
    {
        var withUser = Parent.WithUser("svc");
        Assert.AreEqual("svc", withUser.Derive().RuntimeUser);
        Assert.AreEqual("1000", withUser.Derive().WithUser("1000").RuntimeUser);
        Assert.IsNull(Image.FromBase("busybox:1").Derive().RuntimeUser, "an existing image's user is not known to the model");
        Assert.IsNull(Image.FromBase("busybox:1").Derive().DebianRoot);
    }

    [TestMethod]
    public void AChildCanNarrowButNotWidenItsPlatforms()
    {
        var amd64 = Parent.Derive().WithPlatforms([Platform.LinuxAmd64]);
        CollectionAssert.AreEqual(new[] { Platform.LinuxAmd64 }, amd64.Platforms.ToArray());
        var single = Image.FromBase("busybox:1").Derive();
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => single.WithPlatforms([Platform.LinuxAmd64, Platform.LinuxArm64]));
        Assert.AreEqual(DiagnosticCodes.PlatformNotInParent, e.Code);
        StringAssert.Contains(e.Message, "linux/arm64");
    }

    [TestMethod]
    public void AChildOfADebianImageCannotChangeTheDebianBase()
        => Assert.AreEqual(DiagnosticCodes.PythonVersionNotApplicable,
            Assert.ThrowsExactly<ImageDefinitionException>(() => Parent.Derive().WithDebianBase(d => d with { User = "x" })).Code);

    [TestMethod]
    public void OrderPutsEveryParentBeforeItsChildrenOnce()
    {
        var mid = Parent.Derive("mid");
        var leafA = mid.Derive("leaf-a");
        var leafB = mid.Derive("leaf-b");
        var other = Image.FromBase("busybox:1", name: "other");
        var order = ImageGraph.Order([leafB, other, leafA, Parent]);
        CollectionAssert.AreEqual(new[] { Parent, mid, leafB, other, leafA }, order.ToArray());
        CollectionAssert.AreEqual(new[] { mid, Parent }, ImageGraph.Ancestors(leafA).ToArray());
        Assert.AreEqual(0, ImageGraph.Order([]).Count);
    }

    [TestMethod]
    public void ALongChainDoesNotExhaustTheStack()
    {
        var image = Image.FromBase("busybox:1");
        for (var i = 0; i < 2000; i++) image = image.Derive();
        var order = ImageGraph.Order([image]);
        Assert.AreEqual(2001, order.Count);
        Assert.IsInstanceOfType<ExistingImageBase>(order[0].Base);
    }
}
