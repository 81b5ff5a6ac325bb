using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tests.Model;

/// <summary>
/// Every With* method and factory of <see cref="Image"/> fed hostile values: each must either throw a
/// coded <see cref="ImageDefinitionException"/> or accept the value; never another exception type.
/// Accepted values are written to the test output so a reviewer can see what got through.
/// </summary>
[TestClass]
public sealed partial class HostileInputTests
{
    private static readonly string[] HostileValues =
    [
        "a\nb", "a\rb", "a\0b", "\"quoted\"", "'single'", "$HOME", "${HOME}", "`id`", "a;b", "a && b", "a\\",
        "ünïcødé-名前", new string('x', 4096), "..", "../../etc", "/etc/passwd", "", "   ", "-rf", "a b",
    ];

    private static readonly Image Debian = Image.FromDebianBase(name: "hostile");

    private static readonly Dictionary<string, Func<string, object>> Actions = new()
    {
        ["FromDebianBase(coreLibrarySpec)"] = v => Image.FromDebianBase(coreLibrarySpec: v),
        ["FromDebianBase(baseImageTemplate)"] = v => Image.FromDebianBase(baseImageTemplate: v),
        ["FromDebianBase(registry)"] = v => Image.FromDebianBase(registry: v),
        ["FromDebianBase(name)"] = v => Image.FromDebianBase(name: v),
        ["FromBase(uri)"] = v => Image.FromBase(v),
        ["FromDockerfile(file)"] = v => Image.FromDockerfile(v),
        ["FromUvScript(script)"] = v => Image.FromUvScript(v),
        ["WithAptPackages"] = v => Debian.WithAptPackages(v),
        ["WithPipPackages"] = v => Debian.WithPipPackages(v),
        ["WithPipPackages(IndexUrl)"] = v => Debian.WithPipPackages(["attrs"], new PipOptions { IndexUrl = v }),
        ["WithPipPackages(ExtraIndexUrls)"] = v => Debian.WithPipPackages(["attrs"], new PipOptions { ExtraIndexUrls = new[] { v } }),
        ["WithPipPackages(ExtraArgs)"] = v => Debian.WithPipPackages(["attrs"], new PipOptions { ExtraArgs = new[] { v } }),
        ["WithPipPackages(secret id)"] = v => Debian.WithPipPackages(["attrs"], new PipOptions { Secrets = new[] { Secret.AsEnvironmentVariable(v) } }),
        ["WithCommands(secret file path)"] = v => Debian.WithCommands(["true"], [Secret.AsFile("token", v)]),
        ["WithRequirements"] = v => Debian.WithRequirements(v),
        ["WithUvProject(pyproject)"] = v => Debian.WithUvProject(v),
        ["WithUvProject(uvLock)"] = v => Debian.WithUvProject("pyproject.toml", v),
        ["WithSourceFolder(source)"] = v => Debian.WithSourceFolder(v),
        ["WithSourceFolder(destination)"] = v => Debian.WithSourceFolder("src", v),
        ["WithSourceFile(source)"] = v => Debian.WithSourceFile(v),
        ["WithSourceFile(destination)"] = v => Debian.WithSourceFile("app.py", v),
        ["WithDockerIgnore"] = v => Debian.WithDockerIgnore(v),
        ["WithEnvVars(name)"] = v => Debian.WithEnvVars([new(v, "1")]),
        ["WithEnvVars(value)"] = v => Debian.WithEnvVars([new("A", v)]),
        ["WithWorkdir"] = v => Debian.WithWorkdir(v),
        ["WithCommands"] = v => Debian.WithCommands([v]),
        ["WithRegistry"] = v => Debian.WithRegistry(v),
        ["WithName"] = v => Debian.WithName(v),
        ["WithTag"] = v => Debian.WithTag(v),
        ["WithPythonInstaller(uvImage)"] = v => Debian.WithPythonInstaller(PythonInstaller.Pip, v),
        ["Clone(registry)"] = v => Debian.Clone(registry: v),
        ["Clone(name)"] = v => Debian.Clone(name: v),
        ["FromParent(name)"] = v => Image.FromParent(Debian, name: v),
        ["FromParent(registry)"] = v => Image.FromParent(Debian, registry: v),
        ["WithAppPublishOutput(source)"] = v => Debian.WithAppPublishOutput(v),
        ["WithAppPublishOutput(destination)"] = v => Debian.WithAppPublishOutput("publish", v),
        ["WithEntrypoint"] = v => Debian.WithEntrypoint(v, v),
        ["WithCommand"] = v => Debian.WithCommand(v),
        ["WithUser"] = v => Debian.WithUser(v),
        ["WithExposedPorts"] = v => Debian.WithExposedPorts(v),
        ["WithHealthcheck"] = v => Debian.WithHealthcheck([v]),
        ["WithLabels(key)"] = v => Debian.WithLabels([new(v, "1")]),
        ["WithLabels(value)"] = v => Debian.WithLabels([new("a", v)]),
        ["WithPinnedBase"] = v => Image.FromBase("127.0.0.1:5000/local/busybox:static").WithPinnedBase(v),
    };

    public static IEnumerable<object[]> ActionNames => Actions.Keys.Select(k => new object[] { k });

    [TestMethod]
    [DynamicData(nameof(ActionNames))]
    public void HostileValuesAreRefusedWithACodeOrAccepted(string action)
    {
        var unexpected = new List<string>();
        foreach (var value in HostileValues)
        {
            var shown = value.Length > 40 ? $"<{value.Length} chars>" : value.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\0", "\\0");
            try
            {
                Actions[action](value);
                Console.WriteLine($"{action}: accepted '{shown}'");
            }
            catch (ImageDefinitionException e)
            {
                if (!Code().IsMatch(e.Code) || !e.Message.StartsWith(e.Code + ": ", StringComparison.Ordinal))
                {
                    unexpected.Add($"'{shown}': badly coded {e.Code}: {e.Message}");
                }
            }
            catch (Exception e)
            {
                unexpected.Add($"'{shown}': {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.AreEqual(0, unexpected.Count, $"{action}:\n" + string.Join("\n", unexpected));
    }

    [GeneratedRegex("^CIMG[1-5][0-9]{3}$")]
    private static partial Regex Code();
}
