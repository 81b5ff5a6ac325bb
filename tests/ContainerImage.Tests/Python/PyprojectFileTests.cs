using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Python;

namespace ContainerImage.Tests.Python;

[TestClass]
public sealed class PyprojectFileTests
{
    [TestMethod]
    public void ReadsTheProjectTable()
    {
        using var folder = new TempFolder();
        var file = PyprojectFile.Read(folder.Write("pyproject.toml",
            "[build-system]\nrequires = [\"hatchling\"]\n\n[project]\nname = \"demo\"\nrequires-python = \"~=3.10.0\"\ndependencies = [\"attrs>=23\", \"rich\"]\n"));
        Assert.AreEqual("demo", file.Name);
        Assert.AreEqual("~=3.10.0", file.RequiresPython);
        CollectionAssert.AreEqual(new[] { "attrs>=23", "rich" }, file.Dependencies.ToArray());
        Assert.AreEqual(new PythonVersion(3, 10), file.ResolvePythonVersion());
        Assert.AreEqual(folder.PathOf("pyproject.toml"), file.Path);
    }

    [TestMethod]
    public void AFileWithoutProjectTableHasNoName()
    {
        using var folder = new TempFolder();
        var file = PyprojectFile.Read(folder.Write("pyproject.toml", "[tool.uv.workspace]\nmembers = []\n"));
        Assert.IsNull(file.Name);
        Assert.AreEqual(PythonVersion.Default, file.ResolvePythonVersion());
    }

    [TestMethod]
    [DataRow("[project]\nversion = \"1\"\n", "has no 'name'")]
    [DataRow("[project]\nname = 3\n", "'project.name' must be a string, not an integer")]
    [DataRow("[project]\nname = \"a b\"\n", "not a valid Python package name")]
    [DataRow("[project]\nname = \"a\"\ndependencies = \"x\"\n", "'project.dependencies' must be an array of strings")]
    [DataRow("[project]\nname = \"a\"\ndependencies = [\"x\", true]\n", "'project.dependencies[1]' must be a string, not a boolean")]
    [DataRow("[project]\nname = \"a\"\nrequires-python = [\">=3\"]\n", "'project.requires-python' must be a string")]
    [DataRow("project = \"x\"\n", "'project' must be a table")]
    [DataRow("[project]\nname = \"a\"\n\ndependencies = [\n  \"x\"\n  \"y\"\n]\n", "line 6")]
    public void InvalidFilesAreCoded(string content, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("pyproject.toml", content);
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => PyprojectFile.Read(path));
        Assert.AreEqual(DiagnosticCodes.InvalidPyproject, e.Code, e.Message);
        StringAssert.Contains(e.Message, expected);
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void InvalidRequiresPythonHasItsOwnCode()
    {
        using var folder = new TempFolder();
        var path = folder.Write("pyproject.toml", "[project]\nname = \"a\"\nrequires-python = \">= three\"\n");
        Assert.AreEqual(DiagnosticCodes.InvalidRequiresPython, Assert.ThrowsExactly<ImageDefinitionException>(() => PyprojectFile.Read(path)).Code);
    }

    [TestMethod]
    public void MissingFileIsFileNotFound()
    {
        using var folder = new TempFolder();
        Assert.AreEqual(DiagnosticCodes.FileNotFound,
            Assert.ThrowsExactly<ImageDefinitionException>(() => PyprojectFile.Read(folder.PathOf("pyproject.toml"))).Code);
    }
}
