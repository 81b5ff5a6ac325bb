using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Python;

namespace ContainerImage.Tests.Python;

/// <summary>The <c>[tool.uv]</c> index settings of a uv script header, and how the image installs from them.</summary>
[TestClass]
public sealed class UvScriptIndexSettingsTests
{
    private static string Header(string toolUv) => $"""
        # /// script
        # dependencies = ["requests<3"]
        #
        # [tool.uv]
        {string.Join("\n", toolUv.Split('\n').Select(line => line.Length == 0 ? "#" : "# " + line))}
        # ///
        print(1)
        """;

    [TestMethod]
    public void IndexUrlExtraIndexUrlAndPrereleaseAllowAreRead()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py", Header("""
            index-url = "http://127.0.0.1:8080/simple"
            extra-index-url = ["http://127.0.0.1:8081/simple"]
            prerelease = "allow"
            """)));
        Assert.AreEqual("http://127.0.0.1:8080/simple", header.IndexOptions.IndexUrl);
        CollectionAssert.AreEqual(new[] { "http://127.0.0.1:8081/simple" }, header.IndexOptions.ExtraIndexUrls.ToArray());
        Assert.IsTrue(header.IndexOptions.Pre);
    }

    [TestMethod]
    public void IndexTablesSplitIntoTheDefaultAndExtraIndexesInOrder()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py", Header("""
            [[tool.uv.index]]
            name = "first"
            url = "https://a.example/simple"

            [[tool.uv.index]]
            url = "https://b.example/simple"
            default = true

            [[tool.uv.index]]
            url = "https://c.example/simple"
            """)));
        Assert.AreEqual("https://b.example/simple", header.IndexOptions.IndexUrl);
        CollectionAssert.AreEqual(new[] { "https://a.example/simple", "https://c.example/simple" }, header.IndexOptions.ExtraIndexUrls.ToArray());
        Assert.IsFalse(header.IndexOptions.Pre);
    }

    [TestMethod]
    public void WithoutToolUvThereAreNoOptions()
    {
        using var folder = new TempFolder();
        var header = UvScriptHeader.Read(folder.Write("s.py", "# /// script\n# dependencies = [\"rich\"]\n# ///\n"));
        Assert.AreEqual(PipOptions.None, header.IndexOptions);
    }

    [TestMethod]
    [DataRow("index-url = 3", "'tool.uv.index-url' must be a string")]
    [DataRow("extra-index-url = \"http://x/simple\"", "'tool.uv.extra-index-url' must be an array of strings")]
    [DataRow("prerelease = \"sometimes\"", "'tool.uv.prerelease' must be one of")]
    [DataRow("index-url = \"http://a/simple\"\n[[tool.uv.index]]\nurl = \"http://b/simple\"\ndefault = true", "two default indexes")]
    [DataRow("[[tool.uv.index]]\nname = \"no-url\"", "'tool.uv.index[0]' has no 'url'")]
    [DataRow("[[tool.uv.index]]\nurl = \"http://b/simple\"\ndefault = \"yes\"", "'tool.uv.index[0].default' must be a boolean")]
    [DataRow("index-url = \"http://a/simple --trusted-host evil\"", "index settings are not usable")]
    public void WrongSettingsAreCodedErrorsNamingTheScript(string toolUv, string reason)
    {
        using var folder = new TempFolder();
        var path = folder.Write("s.py", Header(toolUv));
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => UvScriptHeader.Read(path));
        Assert.AreEqual(DiagnosticCodes.InvalidUvScript, e.Code, e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, reason);
    }

    [TestMethod]
    public void TheImageInstallsFromTheHeadersIndexesUnlessTheCallerSaysOtherwise()
    {
        using var folder = new TempFolder();
        var script = folder.Write("s.py", Header("""
            index-url = "http://127.0.0.1:8080/simple"
            extra-index-url = ["http://127.0.0.1:8081/simple"]
            """));

        var fromHeader = Image.FromUvScript(script).Layers.OfType<PipPackagesLayer>().Single().Options;
        Assert.AreEqual("http://127.0.0.1:8080/simple", fromHeader.IndexUrl);
        CollectionAssert.AreEqual(new[] { "http://127.0.0.1:8081/simple" }, fromHeader.ExtraIndexUrls.ToArray());

        var overridden = Image.FromUvScript(script, options: new PipOptions { IndexUrl = "http://mirror.test/simple", ExtraArgs = ["--no-cache-dir"] })
            .Layers.OfType<PipPackagesLayer>().Single().Options;
        Assert.AreEqual("http://mirror.test/simple", overridden.IndexUrl);
        CollectionAssert.AreEqual(new[] { "http://127.0.0.1:8081/simple" }, overridden.ExtraIndexUrls.ToArray(), "no extra indexes given: the header's stay");
        CollectionAssert.AreEqual(new[] { "--no-cache-dir" }, overridden.ExtraArgs.ToArray());
    }
}
