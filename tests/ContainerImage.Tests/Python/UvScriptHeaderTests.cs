using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Python;

namespace ContainerImage.Tests.Python;

[TestClass]
public sealed class UvScriptHeaderTests
{
    private const string Script = """
        #!/usr/bin/env -S uv run --script
        # /// script
        # requires-python = ">=3.13"
        # dependencies = [
        #   "requests<3",
        #   "rich",
        # ]
        #
        # [tool.uv]
        # exclude-newer = "2024-01-01T00:00:00Z"
        # ///

        import requests
        """;

    private static ImageDefinitionException ReadFails(string content, string code)
    {
        using var folder = new TempFolder();
        var path = folder.Write("script.py", content);
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => UvScriptHeader.Read(path));
        Assert.AreEqual(code, e.Code, e.Message);
        StringAssert.Contains(e.Message, path);
        return e;
    }

    [TestMethod]
    public void ReadsRequiresPythonAndDependencies()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("script.py", Script));
        Assert.AreEqual(">=3.13", header.RequiresPython);
        CollectionAssert.AreEqual(new[] { "requests<3", "rich" }, header.Dependencies.ToArray());
        Assert.AreEqual(new PythonVersion(3, 14), header.ResolvePythonVersion());
    }

    [TestMethod]
    public void ReadsCrlfScriptsTheSame()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("script.py", Script.Replace("\n", "\r\n")));
        CollectionAssert.AreEqual(new[] { "requests<3", "rich" }, header.Dependencies.ToArray());
    }

    [TestMethod]
    public void WithoutRequiresPythonTheDefaultIsChosen()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py", "# /// script\n# dependencies = []\n# ///\nprint(1)\n"));
        Assert.IsNull(header.RequiresPython);
        Assert.AreEqual(0, header.Dependencies.Count);
        Assert.AreEqual(PythonVersion.Default, header.ResolvePythonVersion());
    }

    [TestMethod]
    public void OtherBlockTypesAreIgnoredAndTheScriptBlockIsFound()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py",
            "# /// pyproject\n# x = 1\n# ///\n\n# /// script\n# dependencies = [\"attrs\"]\n# ///\n"));
        CollectionAssert.AreEqual(new[] { "attrs" }, header.Dependencies.ToArray());
    }

    [TestMethod]
    public void ALastClosingLineWithoutNewlineCloses()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py", "# /// script\n# dependencies = [\"attrs\"]\n# ///"));
        CollectionAssert.AreEqual(new[] { "attrs" }, header.Dependencies.ToArray());
    }

    [TestMethod]
    public void UnsatisfiableRequiresPythonIsReportedWhenResolving()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py", "# /// script\n# requires-python = \">=4\"\n# ///\n"));
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => header.ResolvePythonVersion());
        Assert.AreEqual(DiagnosticCodes.UnsatisfiableRequiresPython, e.Code);
        StringAssert.Contains(e.Message, "s.py");
    }

    [TestMethod]
    public void MissingScriptIsFileNotFound()
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => UvScriptHeader.Read(folder.PathOf("nope.py")));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, e.Code);
    }

    [TestMethod]
    public void NoBlock() => StringAssert.Contains(ReadFails("import os\n# dependencies = []\n", DiagnosticCodes.InvalidUvScript).Message, "no '# /// script' block");

    [TestMethod]
    public void UnclosedBlock() => StringAssert.Contains(
        ReadFails("# /// script\n# dependencies = []\nimport os\n", DiagnosticCodes.InvalidUvScript).Message, "line 1 is never closed");

    [TestMethod]
    public void BlankLineInsideTheBlockLeavesItUnclosed()
        => ReadFails("# /// script\n# dependencies = []\n\n# ///\n", DiagnosticCodes.InvalidUvScript);

    [TestMethod]
    public void ContentWithoutSpaceAfterHashEndsTheBlock()
        => ReadFails("# /// script\n#dependencies = []\n# ///\n", DiagnosticCodes.InvalidUvScript);

    [TestMethod]
    public void EmptyBlockDoesNotMatchThePepPattern()
        => ReadFails("# /// script\n# ///\n", DiagnosticCodes.InvalidUvScript);

    [TestMethod]
    public void TwoScriptBlocks() => StringAssert.Contains(ReadFails(
        "# /// script\n# dependencies = []\n# ///\nx = 1\n# /// script\n# dependencies = []\n# ///\n", DiagnosticCodes.InvalidUvScript).Message, "2 '# /// script' blocks");

    [TestMethod]
    public void TheLastClosingLineOfARunWinsAsThePepSays()
    {
        // The second "# ///" is followed by content lines, so it (not the first) closes the block,
        // and the first "# ///" becomes TOML content, which is invalid.
        var e = ReadFails("# /// script\n# dependencies = []\n# ///\n#\n# ///\n", DiagnosticCodes.InvalidUvScript);
        StringAssert.Contains(e.Message, "line 3");
    }

    [TestMethod]
    public void InvalidTomlNamesTheFileLine()
    {
        var e = ReadFails("#!/usr/bin/env python\n# /// script\n# requires-python = \">=3.10\"\n# dependencies = [ \"a\" \"b\" ]\n# ///\n",
            DiagnosticCodes.InvalidUvScript);
        StringAssert.Contains(e.Message, "line 4");
    }

    [TestMethod]
    [DataRow("# requires-python = 3.12", "'requires-python' must be a string, not a float")]
    [DataRow("# dependencies = \"requests\"", "'dependencies' must be an array of strings, not a string")]
    [DataRow("# dependencies = [1]", "'dependencies[0]' must be a string, not an integer")]
    [DataRow("# dependencies = [\"ok\", \"-e ./local\"]", "'dependencies[1]' is not a valid requirement")]
    [DataRow("# dependencies = [\"\"]", "'dependencies[0]' is not a valid requirement")]
    public void WrongTypesAreCoded(string line, string expected)
        => StringAssert.Contains(ReadFails($"# /// script\n{line}\n# ///\n", DiagnosticCodes.InvalidUvScript).Message, expected);

    [TestMethod]
    public void InvalidRequiresPythonIsReportedWhenReading()
        => ReadFails("# /// script\n# requires-python = \"3.12\"\n# ///\n", DiagnosticCodes.InvalidRequiresPython);

    [TestMethod]
    public void FromUvScriptUsesTheResolvedVersionAndDependencies()
    {
        using var folder = new TempFolder();
        var image = Image.FromUvScript(folder.Write("s.py", "# /// script\n# requires-python = \"<3.11\"\n# dependencies = [\"attrs==23.2.0\"]\n# ///\n"), name: "py-uv");
        Assert.AreEqual(new PythonVersion(3, 10), image.PythonVersion);
        var pip = image.Layers.OfType<PipPackagesLayer>().Single();
        CollectionAssert.Contains(pip.Packages.ToArray(), "attrs==23.2.0");
    }
}
