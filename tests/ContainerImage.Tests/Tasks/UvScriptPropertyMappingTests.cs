using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tasks;
using ContainerImage.Tests.Python;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerImage.Tests.Tasks;

/// <summary>$(ImageUvScript*) install options: over the script header's [tool.uv] settings, refused without a uv script.</summary>
[TestClass]
public sealed class UvScriptPropertyMappingTests
{
    private const string Script = """
        # /// script
        # dependencies = ["requests<3"]
        #
        # [tool.uv]
        # index-url = "http://127.0.0.1:8080/simple"
        # extra-index-url = ["http://127.0.0.1:8081/simple"]
        # ///
        """;

    private static MappedImage Map(string directory, ITaskItem[] secrets, params (string Name, string Value)[] properties)
        => ImageItemMapper.Map(properties.ToDictionary(p => p.Name, p => (string?)p.Value), [], secrets, directory);

    private static PipOptions InstallOptions(MappedImage mapped) => mapped.Image.Layers.OfType<PipPackagesLayer>().Single().Options;

    [TestMethod]
    public void WithoutPropertiesTheHeadersIndexesApply()
    {
        using var folder = new TempFolder();
        folder.Write("s.py", Script);
        var options = InstallOptions(Map(folder.Root, [], ("ImageUvScript", "s.py")));
        Assert.AreEqual("http://127.0.0.1:8080/simple", options.IndexUrl);
        CollectionAssert.AreEqual(new[] { "http://127.0.0.1:8081/simple" }, options.ExtraIndexUrls.ToArray());
    }

    [TestMethod]
    public void PropertiesWinOverTheHeader()
    {
        using var folder = new TempFolder();
        folder.Write("s.py", Script);
        var secret = new TaskItem("pip_token");
        secret.SetMetadata("FromEnvironment", "CI_PIP_TOKEN");
        secret.SetMetadata("AsEnvironmentVariable", "PIP_TOKEN");
        var options = InstallOptions(Map(folder.Root, [secret],
            ("ImageUvScript", "s.py"),
            ("ImageUvScriptIndexUrl", "https://mirror.example/simple"),
            ("ImageUvScriptExtraIndexUrls", "https://a.example/simple;https://b.example/simple"),
            ("ImageUvScriptPre", "true"),
            ("ImageUvScriptExtraArgs", "--no-cache-dir"),
            ("ImageUvScriptSecrets", "pip_token")));
        Assert.AreEqual("https://mirror.example/simple", options.IndexUrl);
        CollectionAssert.AreEqual(new[] { "https://a.example/simple", "https://b.example/simple" }, options.ExtraIndexUrls.ToArray());
        Assert.IsTrue(options.Pre);
        CollectionAssert.AreEqual(new[] { "--no-cache-dir" }, options.ExtraArgs.ToArray());
        Assert.AreEqual("pip_token", options.Secrets.Single().Id);
    }

    [TestMethod]
    [DataRow("ImageBaseUri", "debian:12")]
    [DataRow("", "")]
    public void WithoutAUvScriptThePropertiesAreRefused(string baseProperty, string baseValue)
    {
        (string, string)[] properties = baseProperty.Length == 0
            ? [("ImageUvScriptIndexUrl", "https://mirror.example/simple")]
            : [(baseProperty, baseValue), ("ImageUvScriptIndexUrl", "https://mirror.example/simple")];
        var e = Assert.ThrowsExactly<ItemMappingException>(() => Map("/work/project", [], properties));
        Assert.AreEqual((DiagnosticCodes.PropertyNeedsUvScriptBase, "ImageUvScriptIndexUrl"), (e.Code, e.PropertyName));
    }

    [TestMethod]
    [DataRow("ImageUvScriptIndexUrl", "not a url", DiagnosticCodes.InvalidIndexUrl)]
    [DataRow("ImageUvScriptExtraIndexUrls", "https://ok.example/simple;ftp://x", DiagnosticCodes.InvalidIndexUrl)]
    [DataRow("ImageUvScriptPre", "maybe", DiagnosticCodes.InvalidProperty)]
    [DataRow("ImageUvScriptSecrets", "nobody", DiagnosticCodes.UnknownUvScriptSecret)]
    public void ABadValueBlamesItsProperty(string property, string value, string code)
    {
        using var folder = new TempFolder();
        folder.Write("s.py", Script);
        var e = Assert.ThrowsExactly<ItemMappingException>(() => Map(folder.Root, [], ("ImageUvScript", "s.py"), (property, value)));
        Assert.AreEqual((code, property), (e.Code, e.PropertyName), e.Message);
    }
}
