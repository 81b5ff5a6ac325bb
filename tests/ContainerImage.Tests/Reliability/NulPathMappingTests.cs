using ContainerImage.Diagnostics;
using ContainerImage.Tasks;
using Microsoft.Build.Utilities;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// A path holding a NUL character (possible through the task API or a property function, though not in
/// project XML) is a coded error pointing at its item, never the runtime's ArgumentException.
/// </summary>
[TestClass]
public sealed class NulPathMappingTests
{
    private const string ProjectDirectory = "/work/project";

    [TestMethod]
    [DataRow("SourceFolder")]
    [DataRow("SourceFile")]
    [DataRow("Requirements")]
    [DataRow("UvProject")]
    [DataRow("DockerIgnore")]
    [DataRow("AppPublishOutput")]
    public void AnIncludeWithANulIsACodedErrorOnItsItem(string kind)
    {
        var item = new TaskItem("src\0evil");
        item.SetMetadata("Kind", kind);
        var error = Assert.ThrowsExactly<ItemMappingException>(() => Map(item));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, error.Code, error.Message);
        Assert.AreSame(item, error.Item?.Item, "the error points at the item");
    }

    [TestMethod]
    public void ASecretFileWithANulIsACodedError()
    {
        var secret = new TaskItem("token");
        secret.SetMetadata("FromFile", "secrets/to\0ken");
        var error = Assert.ThrowsExactly<ItemMappingException>(
            () => ImageItemMapper.Map(new Dictionary<string, string?> { ["ImageBaseUri"] = "127.0.0.1:5000/local/busybox:static" }, [], [secret], ProjectDirectory));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, error.Code, error.Message);
    }

    [TestMethod]
    public void ARelativeIncludeStillResolvesAgainstTheProjectFolder()
        => Assert.AreEqual(Path.GetFullPath("src/app", ProjectDirectory), ImageItemMapper.HostPath("src/app", ProjectDirectory, "input"));

    private static void Map(TaskItem item)
        => ImageItemMapper.Map(new Dictionary<string, string?> { ["ImageBaseUri"] = "127.0.0.1:5000/local/busybox:static" }, [item], [], ProjectDirectory);
}
