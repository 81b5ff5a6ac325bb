using System.Security.Cryptography;
using System.Text.RegularExpressions;
using E2EEngine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// The image's obj/ folder (ImageIntermediateOutputPath) on a 64 KiB tmpfs, with a build context four
/// times bigger: a coded error that names the file and says the disk is full (not MSB4018), no
/// half-written file left; with room again, the next publish builds and pushes.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class FaultDiskFullEngineTests : FaultEngineTest
{
    [TestMethod]
    public void AFullDiskInObjIsCodedLeavesNoHalfFileAndTheNextPublishBuilds()
    {
        E2EEngine.Require();
        using var disk = SmallTmpfs.Mount("64k");
        var project = Copy("base-uri");
        File.WriteAllBytes(Path.Combine(project.Directory, "src", "big.bin"), RandomNumberGenerator.GetBytes(256 * 1024));
        var name = UniqueName("disk-full");
        string[] properties = [$"ImageRegistry={Infrastructure.Engine.RegistryAddress}", "ImageName=" + name,
            "ImageIntermediateOutputPath=" + disk.Path + "/"];

        var (full, _) = Publish(project, null, properties);
        Failed(project, full);
        StringAssert.Contains(full.Output, "error CIMG4100", "a full disk has its own code");
        StringAssert.Contains(full.Output, "the disk is full", "the message says why");
        StringAssert.Contains(full.Output, disk.Path, "the message names the file");
        Assert.IsFalse(full.Output.Contains("MSB4018", StringComparison.Ordinal), "never an MSBuild crash\n" + full.Output);
        Assert.IsFalse(full.Output.Contains("CIMG5012", StringComparison.Ordinal), "not an unexpected failure\n" + full.Output);
        AssertNotUpToDate(full, "disk full");
        AssertNoTemporaryFiles(disk.Path, "disk full");
        var imageFolder = Path.Combine(disk.Path, name);
        Assert.IsFalse(File.Exists(Path.Combine(imageFolder, "publish.json")), "nothing recorded as published");
        var identifier = Path.Combine(imageFolder, "identifier.txt");
        Assert.IsTrue(!File.Exists(identifier) || Regex.IsMatch(File.ReadAllText(identifier), "^[0-9a-f]{64}\n\\z"), "identifier.txt is absent or whole");
        var context = Path.Combine(imageFolder, "context");
        foreach (var file in Directory.Exists(context) ? Directory.GetFiles(context, "*", SearchOption.AllDirectories) : [])
        {
            var source = Path.Combine(project.Directory, "src", Path.GetFileName(file));
            CollectionAssert.AreEqual(File.ReadAllBytes(source), File.ReadAllBytes(file), $"{file} is whole or absent, never partial");
        }

        disk.Resize("16m");
        var (roomy, _) = Publish(project, null, properties);
        Succeeded(project, roomy);
        AssertNotUpToDate(roomy, "after freeing space");
        AssertNoTemporaryFiles(disk.Path, "after freeing space");
        Assert.AreEqual(RegistryDigest(PublishedUri(roomy.Output)), PublishedDigest(roomy.Output), "the next publish built and pushed it");
    }
}
