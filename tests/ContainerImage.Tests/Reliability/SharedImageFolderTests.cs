using ContainerImage.Tests.EndToEnd;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// testassets/shared-folder: two projects in one folder with the same ImageName, built together with -m.
/// One owns obj/containerimage/shared-app/; the other stops with CIMG5120 and writes nothing there.
/// </summary>
[TestClass]
public sealed class SharedImageFolderTests : EndToEndTest
{
    [TestMethod]
    public void TwoProjectsReachingOneImageFolderGetCIMG5120InsteadOfOverwritingEachOther()
    {
        var solution = Copy("shared-folder");
        var output = Failed(solution, solution.Dotnet("build", "-m:2")).Output;

        var errors = output.Split('\n').Where(l => l.Contains("error CIMG5120", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
        Assert.AreEqual(1, errors.Count, output);
        Assert.IsFalse(output.Contains("MSB4018", StringComparison.Ordinal), output);
        // The error is reported at the project that lost the claim.
        var loser = errors[0].Contains("first.csproj :", StringComparison.Ordinal) ? "first" : "second";
        var winner = loser == "first" ? "second" : "first";
        StringAssert.Contains(errors[0], $"{winner}.csproj'", "the message names the project that owns the folder");
        var folder = Path.Combine(solution.Directory, "obj", "containerimage", "shared-app");
        Assert.AreEqual($"../../../{winner}.csproj\n", File.ReadAllText(Path.Combine(folder, "project.txt")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(folder, "Dockerfile")), $"DECLARED_BY=\"{winner}\"", "the folder holds the owner's declaration only");
    }
}
