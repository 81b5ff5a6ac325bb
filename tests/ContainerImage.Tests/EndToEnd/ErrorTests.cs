namespace ContainerImage.Tests.EndToEnd;

/// <summary>Each error asset fails with its CIMG code at the exact project file, line and column of the offending element.</summary>
[TestClass]
public sealed class ErrorTests : EndToEndTest
{
    [TestMethod]
    [DataRow("error-apt-package", 6, 5, "CIMG2012", "The apt package 'not a package' is not a valid package name")]
    [DataRow("error-unknown-metadata", 6, 5, "CIMG5007", "The ImageLayer '/srv' of Kind 'Workdir' has metadata 'Destination', which that kind does not accept; accepted: none.")]
    [DataRow("error-unknown-kind", 6, 5, "CIMG5001", "The ImageLayer 'git' has Kind 'Apt', which is not one of:")]
    [DataRow("error-conflicting-bases", 5, 5, "CIMG5004", "More than one base is set for image 'conflict' (ImageBaseUri, ImageDockerfile)")]
    [DataRow("error-unknown-secret", 6, 5, "CIMG5005", "The ImageLayer 'echo private' uses secret 'token', which no ImageSecret item declares.")]
    [DataRow("error-command-newline", 6, 5, "CIMG2011", "The command 'echo one")]
    [DataRow("error-missing-folder", 7, 5, "CIMG4002", "The source folder '")]
    [DataRow("error-bad-tag", 4, 5, "CIMG2003", "The tag '-not-a-tag' is not valid")]
    public void ErrorPointsAtTheDeclaringElement(string asset, int line, int column, string code, string message)
    {
        var project = Copy(asset);
        var result = Failed(project, project.Dotnet("build"));
        StringAssert.Contains(result.Output, $"{project.ProjectFile}({line},{column}): error {code}: {message}", result.Output);
        Assert.IsFalse(result.Output.Contains("MSB4018", StringComparison.Ordinal), "no task may crash");
        Assert.IsFalse(File.Exists(project.ImageFile("errors", "identifier.txt")), "a failed generation leaves nothing that looks up to date");
    }
}
