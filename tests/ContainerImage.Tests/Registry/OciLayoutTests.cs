using ContainerImage.Diagnostics;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Registry;

/// <summary>The OCI layout reader on folders the test writes: what a push is built from, and what it refuses.</summary>
[TestClass]
public sealed class OciLayoutTests
{
    [TestMethod]
    public void AnIndexWithTwoPlatformsListsItsManifestsBeforeItselfAndEachBlobOnce()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var shared = layout.RandomLayer(1000);
        var amd64 = layout.Manifest("amd64", shared, layout.RandomLayer(500));
        var arm64 = layout.Manifest("arm64", shared, layout.RandomLayer(700));
        var index = layout.Index([amd64, arm64], ["amd64", "arm64"]);
        layout.Top(index);

        var read = OciLayout.Read(folder.Path, "app");

        Assert.AreEqual(index, read.Image);
        CollectionAssert.AreEqual(new[] { amd64.Digest, arm64.Digest, index.Digest }, read.Manifests.Select(m => m.Descriptor.Digest).ToArray());
        Assert.IsTrue(read.Manifests[^1].IsIndex);
        // Two configs, the shared layer once, two own layers.
        Assert.AreEqual(5, read.Blobs.Count);
        Assert.AreEqual(1, read.Blobs.Count(b => b.Digest == shared.Digest));
        CollectionAssert.AreEqual(File.ReadAllBytes(layout.BlobPath(index)), read.Manifests[^1].Content);
    }

    [TestMethod]
    public void ANestedIndexIsWalkedToItsManifests()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var manifest = layout.Manifest("amd64", layout.RandomLayer(300));
        var inner = layout.Index([manifest], ["amd64"]);
        var outer = layout.Index([inner], [null]);
        layout.Top(outer, outer);

        var read = OciLayout.Read(folder.Path, "app");

        CollectionAssert.AreEqual(new[] { manifest.Digest, inner.Digest, outer.Digest }, read.Manifests.Select(m => m.Descriptor.Digest).ToArray());
        Assert.AreEqual(2, read.Blobs.Count);
    }

    [TestMethod]
    public void AMissingLayerIsCoded()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var layer = layout.RandomLayer(100);
        layout.Top(layout.Manifest("amd64", layer));
        File.Delete(layout.BlobPath(layer));

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => OciLayout.Read(folder.Path, "reg.example/app:1"));

        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, error.Code);
        StringAssert.Contains(error.Message, layer.Digest);
        StringAssert.Contains(error.Message, "reg.example/app:1");
    }

    [TestMethod]
    public void AManifestWhoseBytesChangedIsCoded()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var manifest = layout.Manifest("amd64", layout.RandomLayer(100));
        layout.Top(manifest);
        var path = layout.BlobPath(manifest);
        var bytes = File.ReadAllBytes(path);
        bytes[^2] = (byte)' ';
        File.WriteAllBytes(path, bytes);

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => OciLayout.Read(folder.Path, "app"));

        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, error.Code);
        StringAssert.Contains(error.Message, "digest is");
    }

    [TestMethod]
    public void AnIndexJsonWithTwoImagesOrNoneIsCoded()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, Assert.ThrowsExactly<ImageDefinitionException>(() => OciLayout.Read(folder.Path, "app")).Code);
        layout.Top(layout.Manifest("amd64"), layout.Manifest("arm64"));

        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => OciLayout.Read(folder.Path, "app"));

        StringAssert.Contains(error.Message, "2 images");
    }

    [TestMethod]
    public void CleaningKeepsThisImagesBlobsAndRemovesEarlierOnes()
    {
        using var folder = new TempDirectory();
        var layout = new LayoutWriter(folder.Path);
        var old = layout.Manifest("amd64", layout.RandomLayer(4000));
        var kept = layout.RandomLayer(200);
        var current = layout.Manifest("amd64", kept);
        layout.Top(current);
        var read = OciLayout.Read(folder.Path, "app");

        var freed = read.RemoveUnreferencedBlobs();

        Assert.IsFalse(File.Exists(layout.BlobPath(old)));
        Assert.IsTrue(freed > 4000);
        var files = Directory.GetFiles(Path.Combine(folder.Path, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f)).Order().ToArray();
        CollectionAssert.AreEqual(read.Blobs.Select(b => b.Digest).Append(current.Digest).Order().ToArray(), files);
        Assert.AreEqual(current, OciLayout.Read(folder.Path, "app").Image);
    }
}
