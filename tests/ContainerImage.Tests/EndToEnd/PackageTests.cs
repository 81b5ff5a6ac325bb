using System.IO.Compression;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>The package holds exactly the SDK files and the task assembly with its dependencies.</summary>
[TestClass]
public sealed class PackageTests
{
    [TestMethod]
    public void PackageHoldsExactlyTheSdkFilesAndTheTasksWithTheirDependencies()
    {
        using var zip = ZipFile.OpenRead(SdkPackage.Get().PackagePath);
        var entries = zip.Entries.Select(e => e.FullName)
            .Where(n => n != "[Content_Types].xml" && !n.StartsWith("_rels/", StringComparison.Ordinal)
                && !n.StartsWith("package/", StringComparison.Ordinal) && n != "ContainerImage.Sdk.nuspec")
            .Order(StringComparer.Ordinal)
            .ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "Sdk/Sdk.props",
            "Sdk/Sdk.targets",
            "build/ContainerImage.Sdk.Standalone.targets",
            "build/ContainerImage.Sdk.props",
            "build/ContainerImage.Sdk.targets",
            "build/ContainerImage.Sdk.xsd",
            "tasks/net8.0/ContainerImage.Tasks.dll",
            "tasks/net8.0/NuGet.Versioning.dll",
            "tasks/net8.0/Tomlyn.dll",
        }, entries, string.Join(", ", entries));
        using var nuspec = new StreamReader(zip.GetEntry("ContainerImage.Sdk.nuspec")!.Open());
        var text = nuspec.ReadToEnd();
        StringAssert.Contains(text, "<packageType name=\"MSBuildSdk\" />");
        Assert.IsFalse(text.Contains("<dependencies>", StringComparison.Ordinal), "an SDK package must not bring package dependencies");
    }
}
