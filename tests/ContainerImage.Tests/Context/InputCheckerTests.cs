using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

[TestClass]
public sealed class InputCheckerTests
{
    [TestMethod]
    public void EveryMissingInputIsReportedWithItsLayer()
    {
        using var tree = new TempTree();
        var image = Image.FromBase("127.0.0.1:5000/local/debian:bookworm")
            .WithSourceFolder(tree.Path_("src"))
            .WithSourceFile(tree.Path_("a.txt"))
            .WithRequirements(tree.Path_("requirements.txt"))
            .WithUvProject(tree.Path_("p/pyproject.toml"))
            .WithDockerIgnore(tree.Path_(".dockerignore"));

        var problems = InputChecker.Check(image, checkSecretSources: false);

        CollectionAssert.AreEqual(
            new[] { "CIMG4002@0", "CIMG4001@1", "CIMG4001@2", "CIMG4001@3", "CIMG4001@3", "CIMG4001@4" },
            problems.Select(p => p.Code + "@" + p.LayerIndex).ToArray());
        StringAssert.Contains(problems[4].Message, "uv.lock");
        Assert.IsTrue(problems.All(p => p.Message.StartsWith(p.Code + ":", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void AnInvalidDockerIgnoreAndALinkOutsideTheFolderAreReported()
    {
        using var tree = new TempTree();
        tree.Write(".dockerignore", "[");
        Assert.AreEqual(DiagnosticCodes.InvalidDockerIgnore,
            InputChecker.Check(Image.FromBase("a/b:1").WithDockerIgnore(tree.Path_(".dockerignore")), false).Single().Code);
        if (OperatingSystem.IsWindows()) return;
        tree.Write("out.txt", "o");
        tree.Link("src/o.txt", "../out.txt");
        var problem = InputChecker.Check(Image.FromBase("a/b:1").WithSourceFolder(tree.Path_("src")), false).Single();
        Assert.AreEqual(DiagnosticCodes.InputOutsideFolder, problem.Code);
        Assert.AreEqual(0, problem.LayerIndex);
    }

    [TestMethod]
    public void MissingSecretSourcesAreReportedByNameOnlyWhenAsked()
    {
        using var tree = new TempTree();
        var variable = "CIMG_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        var fromEnv = Secret.AsEnvironmentVariable("token", sourceVariable: variable);
        var fromFile = Secret.AsFile("netrc", "/root/.netrc").FromFile(tree.Path_("netrc"));
        var image = Image.FromBase("a/b:1").WithCommands(["echo a"], [fromEnv]).WithAptPackages(["git"], [fromFile, fromEnv]);

        Assert.AreEqual(0, InputChecker.Check(image, checkSecretSources: false).Count);
        var problems = InputChecker.Check(image, checkSecretSources: true);
        CollectionAssert.AreEqual(new[] { "CIMG4003@0", "CIMG4003@1" }, problems.Select(p => p.Code + "@" + p.LayerIndex).ToArray());
        StringAssert.Contains(problems[0].Message, variable);
        StringAssert.Contains(problems[1].Message, tree.Path_("netrc"));

        File.WriteAllText(tree.Path_("netrc"), "machine x password hunter2");
        Environment.SetEnvironmentVariable(variable, "s3cr3t-value");
        try
        {
            Assert.AreEqual(0, InputChecker.Check(image, checkSecretSources: true).Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestMethod]
    public void ADockerfileImageWithoutItsDockerfileIsReported()
    {
        using var tree = new TempTree();
        var problem = InputChecker.Check(Image.FromDockerfile(tree.Path_("Dockerfile")), false).Single();
        Assert.AreEqual(DiagnosticCodes.FileNotFound, problem.Code);
        Assert.IsNull(problem.LayerIndex);
    }
}
