using System.Runtime.CompilerServices;
using ContainerImage.Dockerfile;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>
/// Compares generated Dockerfiles byte for byte with the committed goldens under
/// <c>Goldens/Dockerfile/</c>. With <c>CIMG_UPDATE_GOLDENS=1</c> the goldens in the source tree are
/// rewritten instead (review the diff before committing).
/// </summary>
[TestClass]
public sealed class DockerfileGoldenTests
{
    public static IEnumerable<object[]> CaseNames => DockerfileCases.All().Select(c => new object[] { c.Name });

    [TestMethod]
    [DynamicData(nameof(CaseNames))]
    public void GeneratedDockerfileMatchesGolden(string name)
    {
        var (_, image, plan, options) = DockerfileCases.All().Single(c => c.Name == name);
        var text = DockerfileWriter.Write(image, plan, options);
        var golden = Path.Combine(SourceGoldenDirectory(), name + ".Dockerfile");
        if (Environment.GetEnvironmentVariable("CIMG_UPDATE_GOLDENS") == "1")
        {
            File.WriteAllText(golden, text);
            return;
        }
        Assert.IsTrue(File.Exists(golden), $"No golden '{golden}': run the tests once with CIMG_UPDATE_GOLDENS=1 and review it.");
        Assert.AreEqual(File.ReadAllText(golden), text, $"The Dockerfile for '{name}' differs from its golden.");
    }

    [TestMethod]
    public void EveryGoldenFileBelongsToACase()
    {
        var names = DockerfileCases.All().Select(c => c.Name + ".Dockerfile").ToHashSet();
        var stale = Directory.GetFiles(SourceGoldenDirectory(), "*.Dockerfile").Select(Path.GetFileName).Where(f => !names.Contains(f!)).ToList();
        Assert.AreEqual(0, stale.Count, "Goldens without a case: " + string.Join(", ", stale));
    }

    // The goldens are committed in the source tree; the test reads (and rewrites) them there.
    private static string SourceGoldenDirectory([CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "Goldens", "Dockerfile");
}
