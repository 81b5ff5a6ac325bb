using ContainerImage.Diagnostics;
using ContainerImage.Python;

namespace ContainerImage.Tests.Python;

[TestClass]
public sealed class UvLockFileTests
{
    private const string CertifiSha = "922820b53db7a7257ffbda3f597266d435245903d80737e34f8a45ff3e3230d8";
    private const string WheelSha = "0c7e1b4e0b9b1a7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e";
    private const string HttpxCommit = "4b5a92e88e03443c2619f0905d756b159f9f0222";

    private const string Pyproject = """
        [project]
        name = "Demo_App"
        version = "0.1.0"
        requires-python = ">=3.10"
        dependencies = ["click", "httpx", "numpy", "tomli; python_version < '3.11'", "vendored-wheel", "demo-lib"]

        [tool.uv.sources]
        demo-lib = { workspace = true }
        httpx = { git = "https://github.com/encode/httpx", rev = "master" }
        """;

    /// <summary>A lock in the shape uv 0.5+ writes (format version 1, revision 2), trimmed.</summary>
    private static readonly string Lock = $$"""
        version = 1
        revision = 2
        requires-python = ">=3.10"
        resolution-markers = [
            "python_full_version >= '3.12'",
            "python_full_version < '3.12'",
        ]

        [manifest]
        members = [
            "demo-app",
            "demo-lib",
        ]

        [[package]]
        name = "certifi"
        version = "2024.8.30"
        source = { registry = "https://pypi.org/simple" }
        sdist = { url = "https://files.pythonhosted.org/packages/b0/ee/certifi-2024.8.30.tar.gz", hash = "sha256:bec941d2aa8195e248a60b31ff9f0558284cf01a52591ceda73ea9afffd69fd9", size = 168507, upload-time = "2024-08-30T01:55:04.365Z" }
        wheels = [
            { url = "https://files.pythonhosted.org/packages/12/90/certifi-2024.8.30-py3-none-any.whl", hash = "sha256:{{CertifiSha}}", size = 167321, upload-time = "2024-08-30T01:55:02.591Z" },
        ]

        [[package]]
        name = "click"
        version = "8.1.7"
        source = { registry = "https://pypi.org/simple" }
        dependencies = [
            { name = "colorama", marker = "sys_platform == 'win32'" },
        ]

        [[package]]
        name = "colorama"
        version = "0.4.6"
        source = { registry = "https://pypi.org/simple" }

        [[package]]
        name = "demo-app"
        version = "0.1.0"
        source = { editable = "." }
        dependencies = [
            { name = "click" },
            { name = "demo-lib" },
            { name = "httpx" },
            { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
            { name = "numpy", version = "2.1.1", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
            { name = "tomli", marker = "python_full_version < '3.11'" },
            { name = "vendored-wheel" },
        ]

        [package.dev-dependencies]
        dev = [
            { name = "pytest" },
        ]

        [package.metadata]
        requires-dist = [
            { name = "click" },
            { name = "demo-lib", editable = "packages/demo-lib" },
        ]

        [[package]]
        name = "demo-lib"
        version = "0.2.0"
        source = { directory = "packages/demo-lib" }

        [[package]]
        name = "httpx"
        version = "0.28.0.dev0"
        source = { git = "https://github.com/encode/httpx?rev=master#{{HttpxCommit}}" }
        dependencies = [
            { name = "certifi" },
        ]

        [[package]]
        name = "local-wheel"
        version = "1.0"
        source = { path = "dist/local_wheel-1.0-py3-none-any.whl" }

        [[package]]
        name = "numpy"
        version = "1.26.4"
        source = { registry = "https://pypi.org/simple" }
        resolution-markers = [
            "python_full_version < '3.12'",
        ]

        [[package]]
        name = "numpy"
        version = "2.1.1"
        source = { registry = "https://pypi.org/simple" }
        resolution-markers = [
            "python_full_version >= '3.12'",
        ]

        [[package]]
        name = "pytest"
        version = "8.3.3"
        source = { registry = "https://pypi.org/simple" }

        [[package]]
        name = "scripts"
        version = "0.0.0"
        source = { virtual = "tools/scripts" }

        [[package]]
        name = "tomli"
        version = "2.0.2"
        source = { registry = "https://pypi.org/simple" }

        [[package]]
        name = "vendored-wheel"
        version = "1.0.0"
        source = { url = "https://example.invalid/wheels/vendored_wheel-1.0.0-py3-none-any.whl" }
        wheels = [
            { url = "https://example.invalid/wheels/vendored_wheel-1.0.0-py3-none-any.whl", hash = "sha256:{{WheelSha}}" },
        ]
        """;

    private static IReadOnlyList<string> Read(TempFolder folder, string lockText, string pyproject = Pyproject)
        => UvLockFile.ReadLockedRequirements(folder.Write("uv.lock", lockText), folder.Write("pyproject.toml", pyproject));

    private static ImageDefinitionException ReadFails(string lockText, string code, string pyproject = Pyproject)
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => Read(folder, lockText, pyproject));
        Assert.AreEqual(code, e.Code, e.Message);
        return e;
    }

    [TestMethod]
    public void PinsThirdPartyPackagesAndLeavesOutTheProjectAndLocalSources()
    {
        using var folder = new TempFolder();
        CollectionAssert.AreEqual(new[]
        {
            "certifi==2024.8.30",
            "click==8.1.7",
            "colorama==0.4.6 ; sys_platform == 'win32'",
            $"httpx @ git+https://github.com/encode/httpx@{HttpxCommit}",
            "numpy==1.26.4 ; python_full_version < '3.12'",
            "numpy==2.1.1 ; python_full_version >= '3.12'",
            "pytest==8.3.3",
            "tomli==2.0.2 ; python_full_version < '3.11'",
            $"vendored-wheel @ https://example.invalid/wheels/vendored_wheel-1.0.0-py3-none-any.whl#sha256={WheelSha}",
        }, Read(folder, Lock).ToArray());
    }

    [TestMethod]
    public void TheProjectIsRecognisedByItsNormalizedName()
    {
        using var folder = new TempFolder();
        var lockText = "version = 1\n[[package]]\nname = \"demo-app\"\nversion = \"1\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
            + "[[package]]\nname = \"six\"\nversion = \"1.16.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        CollectionAssert.AreEqual(new[] { "six==1.16.0" }, Read(folder, lockText).ToArray());
    }

    [TestMethod]
    public void AVirtualWorkspaceRootWithoutProjectTableWorks()
    {
        using var folder = new TempFolder();
        var lockText = "version = 1\n[[package]]\nname = \"six\"\nversion = \"1.16.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        CollectionAssert.AreEqual(new[] { "six==1.16.0" }, Read(folder, lockText, "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n").ToArray());
    }

    [TestMethod]
    public void GitSubdirectoryIsKept()
    {
        using var folder = new TempFolder();
        var lockText = $"version = 1\n[[package]]\nname = \"lib\"\nversion = \"0.1\"\nsource = {{ git = \"https://example.invalid/mono.git?subdirectory=libs%2Flib&rev=v1#{HttpxCommit}\" }}\n";
        CollectionAssert.AreEqual(new[] { $"lib @ git+https://example.invalid/mono.git@{HttpxCommit}#subdirectory=libs/lib" }, Read(folder, lockText).ToArray());
    }

    [TestMethod]
    public void MissingLockIsFileNotFound()
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() =>
            UvLockFile.ReadLockedRequirements(folder.PathOf("uv.lock"), folder.Write("pyproject.toml", Pyproject)));
        Assert.AreEqual(DiagnosticCodes.FileNotFound, e.Code);
        StringAssert.Contains(e.Message, "uv.lock");
    }

    [TestMethod]
    public void InvalidPyprojectIsReportedAsSuch() => ReadFails(Lock, DiagnosticCodes.InvalidPyproject, "[project\nname = 1\n");

    [TestMethod]
    [DataRow("version = 2\n", "lock format version is 2")]
    [DataRow("revision = 1\n", "no integer 'version'")]
    [DataRow("version = 1\n[[package]]\nname = \"x\"\nversion = [\n", "line 5, column 1: Unexpected end-of-file")]
    [DataRow("version = 1\n[[package]]\nname = \"six\"\nsource = { registry = \"https://pypi.org/simple\" }\n", "no valid 'version'")]
    [DataRow("version = 1\n[[package]]\nname = \"six\"\nversion = \"1\"\n", "has no 'source'")]
    [DataRow("version = 1\n[[package]]\nname = \"six\"\nversion = \"1\"\nsource = { svn = \"x\" }\n", "does not know")]
    [DataRow("version = 1\n[[package]]\nname = \"-bad\"\nversion = \"1\"\nsource = { registry = \"x\" }\n", "not a valid package name")]
    [DataRow("version = 1\n[[package]]\nname = \"lib\"\nversion = \"1\"\nsource = { git = \"https://example.invalid/lib?branch=main\" }\n", "without a locked commit")]
    [DataRow("version = 1\n[[package]]\nname = \"lib\"\nversion = \"1\"\nsource = { url = \"ftp://example.invalid/lib.whl\" }\n", "not http or https")]
    [DataRow("version = 1\n[[package]]\nname = \"six\"\nversion = \"1\"\nsource = { registry = \"r\" }\n[[package]]\nname = \"six\"\nversion = \"2\"\nsource = { registry = \"r\" }\n", "locked more than once")]
    [DataRow("version = 1\n[[package]]\nname = \"six\"\nversion = \"1\"\nsource = { registry = \"r\" }\ndependencies = [\"six\"]\n", "not a table")]
    public void InvalidLocksAreCoded(string lockText, string expected)
        => StringAssert.Contains(ReadFails(lockText, DiagnosticCodes.InvalidUvLock).Message, expected);
}
