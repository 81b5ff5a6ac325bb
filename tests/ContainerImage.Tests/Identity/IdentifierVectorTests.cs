using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerImage.Context;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>
/// Checks the test vectors of docs/identifier.md (data in tests/ContainerImage.Tests/Vectors/*.json):
/// each vector's files are written to a fresh temporary folder, its image is defined from the JSON, and the
/// canonical JSON and identifier must equal the recorded ones. Set CIMG_UPDATE_VECTORS=1 to rewrite the
/// recorded values and the table in docs/identifier.md instead (after an intended change of the encoding or
/// of the generated Dockerfile).
/// </summary>
[TestClass]
public sealed class IdentifierVectorTests
{
    /// <summary>
    /// The Dockerfile text the vectors are computed with. A fixed text keeps the vectors about the
    /// encoding while the Dockerfile writer evolves; its digest is still part of every identifier.
    /// </summary>
    public const string VectorDockerfileText = "# containerimage identifier test vectors: fixed Dockerfile text\n";

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static bool Updating => Environment.GetEnvironmentVariable("CIMG_UPDATE_VECTORS") == "1";

    [TestMethod]
    public void EveryVectorMatchesItsRecordedIdentifier()
    {
        var folder = VectorFolder();
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.IsGreaterThanOrEqualTo(10, files.Count, "docs/identifier.md promises at least 10 vectors");
        var rows = new List<string>();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var vector = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var name = (string)vector["name"]!;
            var identity = Compute(vector);
            if (Updating)
            {
                vector["canonicalJson"] = identity.CanonicalJson;
                vector["identifier"] = identity.Identifier;
                File.WriteAllText(file, vector.ToJsonString(WriteOptions) + "\n");
            }
            else
            {
                if ((string?)vector["canonicalJson"] != identity.CanonicalJson) failures.Add($"{name}: canonical JSON is {identity.CanonicalJson}");
                if ((string?)vector["identifier"] != identity.Identifier) failures.Add($"{name}: identifier is {identity.Identifier}");
            }
            rows.Add($"| `{name}` | {(string)vector["description"]!} | `{identity.Identifier}` |");
        }
        if (Updating) UpdateDocTable(rows);
        Assert.AreEqual(0, failures.Count, "vectors differ (run with CIMG_UPDATE_VECTORS=1 if the change is intended):\n" + string.Join("\n", failures));
        if (!Updating)
        {
            var doc = File.ReadAllText(DocPath());
            foreach (var row in rows) StringAssert.Contains(doc, row, "docs/identifier.md lists every vector with its identifier");
        }
    }

    [TestMethod]
    public void VectorsDoNotDependOnWhereTheyAreWritten()
    {
        var first = Directory.GetFiles(VectorFolder(), "*.json").Order(StringComparer.Ordinal).First(f => f.Contains("source-folder", StringComparison.Ordinal));
        var vector = JsonNode.Parse(File.ReadAllText(first))!.AsObject();
        Assert.AreEqual(Compute(vector).Identifier, Compute(vector).Identifier);
    }

    private static ImageIdentity Compute(JsonObject vector)
    {
        using var tree = new TempTree();
        WriteFiles(vector, tree);
        return Compute(vector, tree, null);
    }

    /// <summary>Writes the vector's files into <paramref name="tree"/>.</summary>
    internal static void WriteFiles(JsonObject vector, TempTree tree)
    {
        foreach (var file in vector["files"]?.AsArray() ?? [])
        {
            tree.Write((string)file!["path"]!, (string)file["content"]!, (bool?)file["exec"] ?? false);
        }
    }

    /// <summary>The vector's identity over files already written to <paramref name="tree"/>, hashing with <paramref name="hasher"/>.</summary>
    internal static ImageIdentity Compute(JsonObject vector, TempTree tree, FileHasher? hasher)
    {
        var image = Define(vector["image"]!.AsObject(), tree);
        return ImageIdentifier.Compute(image, ContextPlanner.Plan(image), hasher, (_, _) => VectorDockerfileText);
    }

    /// <summary>The folder of the vector files.</summary>
    internal static string Vectors() => VectorFolder();

    private static Image Define(JsonObject spec, TempTree tree)
    {
        var @base = spec["base"]!.AsObject();
        if (spec["name"] is not null || spec["registry"] is not null || spec["tag"] is not null)
        {
            // Naming never reaches the identifier; vectors name parents to show it.
            return DefineNamed(spec, tree);
        }
        var platforms = spec["platforms"]?.AsArray().Select(p => Platform.Parse((string)p!)).ToList();
        var image = (string)@base["kind"]! switch
        {
            "Debian" => Image.FromDebianBase(
                Str(@base, "python") is { } python ? PythonVersion.Parse(python) : null,
                (bool?)@base["installCoreLibrary"] ?? true, platforms: platforms,
                coreLibrarySpec: Str(@base, "coreLibrarySpec"), baseImageTemplate: Str(@base, "baseImageTemplate")),
            "Image" => Str(@base, "pinnedDigest") is { } digest
                ? Image.FromBase((string)@base["reference"]!, platforms: platforms).WithPinnedBase(digest)
                : Image.FromBase((string)@base["reference"]!, platforms: platforms),
            "Parent" => Image.FromParent(Define(@base["parent"]!.AsObject(), tree), Str(@base, "name"), Str(@base, "registry")),
            "Dockerfile" => Image.FromDockerfile(tree.Path_((string)@base["path"]!), platforms: platforms),
            var other => throw new AssertFailedException("unknown base kind " + other),
        };
        if (spec["installer"] is JsonObject installer)
        {
            image = image.WithPythonInstaller((string)installer["mode"]! == "pip" ? PythonInstaller.Pip : PythonInstaller.Uv, Str(installer, "uvImage"));
        }
        foreach (var layer in spec["layers"]?.AsArray() ?? [])
        {
            image = image.WithLayer(Layer(layer!.AsObject(), tree));
        }
        return image;
    }

    private static Image DefineNamed(JsonObject spec, TempTree tree)
    {
        var unnamed = spec.DeepClone().AsObject();
        unnamed.Remove("name");
        unnamed.Remove("registry");
        unnamed.Remove("tag");
        var image = Define(unnamed, tree).WithRegistry(Str(spec, "registry"));
        if (Str(spec, "name") is { } name) image = image.WithName(name);
        return image.WithTag(Str(spec, "tag"));
    }

    private static Layer Layer(JsonObject l, TempTree tree) => (string)l["kind"]! switch
    {
        "AppPublishOutput" => Layers.AppPublishOutput(tree.Path_((string)l["source"]!), Str(l, "destination")),
        "Entrypoint" => Layers.Entrypoint(Strings(l, "arguments")),
        "Command" => Layers.Command(Strings(l, "arguments")),
        "User" => Layers.User((string)l["user"]!),
        "ExposePorts" => Layers.ExposePorts(Strings(l, "ports")),
        "Healthcheck" => l["command"] is null ? Layers.HealthcheckNone() : Layers.Healthcheck(Strings(l, "command"),
            Milliseconds(l, "intervalMs"), Milliseconds(l, "timeoutMs"), Milliseconds(l, "startPeriodMs"), (int?)l["retries"]),
        "Labels" => Layers.Labels(l["labels"]!.AsArray().Select(v => KeyValuePair.Create((string)v![0]!, (string)v[1]!))),
        "AptPackages" => Layers.AptPackages(Strings(l, "packages"), Secrets(l["secrets"])),
        "PipPackages" => Layers.PipPackages(Strings(l, "packages"), Options(l["options"])),
        "UvProject" => Layers.UvProject(tree.Path_((string)l["pyproject"]!), Str(l, "uvLock") is { } lockFile ? tree.Path_(lockFile) : null, Options(l["options"])),
        "SourceFolder" => Layers.SourceFolder(tree.Path_((string)l["source"]!), Str(l, "destination") ?? "."),
        "SourceFile" => Layers.SourceFile(tree.Path_((string)l["source"]!), Str(l, "destination") ?? "."),
        "DockerIgnore" => Layers.DockerIgnore(tree.Path_((string)l["file"]!)),
        "EnvVars" => Layers.EnvVars(l["variables"]!.AsArray().Select(v => KeyValuePair.Create((string)v![0]!, (string)v[1]!))),
        "Workdir" => Layers.Workdir((string)l["path"]!),
        "Commands" => Layers.Commands(Strings(l, "commands"), Secrets(l["secrets"])),
        var other => throw new AssertFailedException("unknown layer kind " + other),
    };

    private static PipOptions? Options(JsonNode? node) => node is not JsonObject o ? null : new PipOptions
    {
        IndexUrl = Str(o, "indexUrl"),
        ExtraIndexUrls = Strings(o, "extraIndexUrls").ToValueArray(),
        Pre = (bool?)o["pre"] ?? false,
        ExtraArgs = Strings(o, "extraArgs").ToValueArray(),
        Secrets = Secrets(o["secrets"]).ToValueArray(),
    };

    private static List<Secret> Secrets(JsonNode? node) => (node?.AsArray() ?? []).Select(s =>
    {
        var o = s!.AsObject();
        var secret = Str(o, "mount") is { } mount
            ? Secret.AsFile((string)o["id"]!, mount)
            : Secret.AsEnvironmentVariable((string)o["id"]!, Str(o, "env"));
        return Str(o, "sourceFile") is { } file ? secret.FromFile(file) : secret;
    }).ToList();

    private static string? Str(JsonObject o, string name) => (string?)o[name];

    private static TimeSpan? Milliseconds(JsonObject o, string name) => (long?)o[name] is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private static List<string> Strings(JsonObject o, string name) => (o[name]?.AsArray() ?? []).Select(s => (string)s!).ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContainerImage.sln"))) return dir.FullName;
        }
        throw new AssertFailedException("ContainerImage.sln not found above " + AppContext.BaseDirectory);
    }

    private static string VectorFolder() => Path.Combine(RepositoryRoot(), "tests", "ContainerImage.Tests", "Vectors");

    private static string DocPath() => Path.Combine(RepositoryRoot(), "docs", "identifier.md");

    private static void UpdateDocTable(List<string> rows)
    {
        const string start = "<!-- vectors:start -->";
        const string end = "<!-- vectors:end -->";
        var doc = File.ReadAllText(DocPath());
        var from = doc.IndexOf(start, StringComparison.Ordinal);
        var to = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.IsTrue(from >= 0 && to > from, "docs/identifier.md needs the vectors markers");
        var table = new StringBuilder(start).Append('\n')
            .Append("| vector | what it covers | identifier |\n|---|---|---|\n");
        foreach (var row in rows) table.Append(row).Append('\n');
        File.WriteAllText(DocPath(), doc[..from] + table + doc[to..]);
    }
}
