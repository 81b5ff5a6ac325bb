using ContainerImage.Diagnostics;
using ContainerImage.Tasks;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Reliability;

/// <summary>One image folder, one project: <see cref="ImageFolderClaim"/> with one, two and many claimants.</summary>
[TestClass]
public sealed class ImageFolderClaimTests
{
    [TestMethod]
    public void TheSameProjectClaimsItsFolderAgainAndAnotherProjectGetsCIMG5120()
    {
        using var root = new TempDirectory("cimg-claim");
        var a = root.Write("shared/a.csproj", "<Project />");
        var b = root.Write("shared/b.csproj", "<Project />");
        var folder = Path.Combine(root.Path, "shared", "obj", "containerimage", "app");

        ImageFolderClaim.Claim(folder, a, "app");
        ImageFolderClaim.Claim(folder, a, "app");
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => ImageFolderClaim.Claim(folder, b, "app"));

        Assert.AreEqual(DiagnosticCodes.ImageFolderShared, error.Code);
        StringAssert.Contains(error.Message, a, "the message names the project that owns the folder");
        Assert.AreEqual("../../../a.csproj\n", File.ReadAllText(Path.Combine(folder, ImageFolderClaim.FileName)), "the owner is recorded relative to the folder");
    }

    [TestMethod]
    public void ACopiedTreeStillMatchesAndAGoneOwnerIsTakenOver()
    {
        using var root = new TempDirectory("cimg-claim");
        var original = root.Write("one/app.csproj", "<Project />");
        ImageFolderClaim.Claim(Path.Combine(root.Path, "one", "obj", "img"), original, "img");
        var copy = root.Write("two/app.csproj", "<Project />");
        Directory.CreateDirectory(Path.Combine(root.Path, "two", "obj", "img"));
        File.Copy(Path.Combine(root.Path, "one", "obj", "img", ImageFolderClaim.FileName), Path.Combine(root.Path, "two", "obj", "img", ImageFolderClaim.FileName));
        ImageFolderClaim.Claim(Path.Combine(root.Path, "two", "obj", "img"), copy, "img");

        File.Delete(original);
        var renamed = root.Write("one/renamed.csproj", "<Project />");
        ImageFolderClaim.Claim(Path.Combine(root.Path, "one", "obj", "img"), renamed, "img");
        Assert.AreEqual("../../renamed.csproj\n", File.ReadAllText(Path.Combine(root.Path, "one", "obj", "img", ImageFolderClaim.FileName)));
    }

    [TestMethod]
    public void OfEightProjectsClaimingAtOnceExactlyOneWinsAndTheOthersGetCIMG5120()
    {
        for (var round = 0; round < 20; round++)
        {
            using var root = new TempDirectory("cimg-claim");
            var projects = Enumerable.Range(0, 8).Select(i => root.Write($"p{i}.csproj", "<Project />")).ToArray();
            var folder = Path.Combine(root.Path, "obj", "shared");
            using var start = new Barrier(projects.Length);
            var outcomes = projects.AsParallel().WithDegreeOfParallelism(projects.Length).Select(project =>
            {
                start.SignalAndWait();
                try
                {
                    ImageFolderClaim.Claim(folder, project, "shared");
                    return "won";
                }
                catch (ImageDefinitionException e)
                {
                    return e.Code;
                }
            }).ToList();
            Assert.AreEqual(1, outcomes.Count(o => o == "won"), string.Join(", ", outcomes));
            Assert.AreEqual(7, outcomes.Count(o => o == DiagnosticCodes.ImageFolderShared), string.Join(", ", outcomes));
            Assert.AreEqual(1, Directory.GetFiles(folder).Length, "no temporary file is left behind");
        }
    }
}
