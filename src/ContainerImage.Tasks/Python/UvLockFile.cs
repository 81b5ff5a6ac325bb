using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using Tomlyn.Model;

namespace ContainerImage.Python;

/// <summary>
/// Reads a uv.lock (lock format version 1) into pinned pip requirements, for installing a uv
/// project's locked dependencies. Rules (docs/python.md):
/// registry packages become <c>name==version</c>; git packages <c>name @ git+URL@COMMIT</c> (the
/// locked commit, plus <c>#subdirectory=</c>); URL packages <c>name @ URL</c> (plus <c>#sha256=</c> when
/// the lock records the hash); the project itself and local sources (editable, virtual, directory,
/// path) are left out. A package whose every incoming dependency edge has a marker, or that is locked
/// more than once for different environments, carries those markers (<c>name==1.0 ; marker</c>) so pip
/// skips it where uv would.
/// </summary>
public static partial class UvLockFile
{
    private static readonly string[] LocalSources = ["editable", "virtual", "directory", "path"];
    private static readonly string[] RemoteSources = ["registry", "git", "url"];

    /// <summary>
    /// The locked third-party packages of the project as pinned requirements (<c>name==version</c>),
    /// sorted ordinally, excluding the project itself and other local/editable/virtual sources.
    /// Throws <see cref="DiagnosticCodes.FileNotFound"/> for a missing file,
    /// <see cref="DiagnosticCodes.InvalidPyproject"/> for a bad pyproject.toml and
    /// <see cref="DiagnosticCodes.InvalidUvLock"/> for a lock it cannot read faithfully.
    /// </summary>
    public static IReadOnlyList<string> ReadLockedRequirements(string uvLockPath, string pyprojectPath)
    {
        var project = PyprojectFile.Read(pyprojectPath);
        var projectName = project.Name is null ? null : PackageName.Normalize(project.Name);
        var lockPath = TomlText.FullPath(uvLockPath, "uv.lock file");
        var text = TomlText.ReadFile(lockPath, "uv.lock file");
        ImageDefinitionException Fail(string reason) => new(DiagnosticCodes.InvalidUvLock, lockPath, reason);

        var document = TomlText.Parse(text, 1, Fail);
        if (!document.TryGetValue("version", out var version) || version is not long lockVersion)
        {
            throw Fail("it has no integer 'version'");
        }
        if (lockVersion != 1) throw Fail($"its lock format version is {lockVersion}; only version 1 is understood");

        var packages = ReadPackages(document, Fail);
        var edges = ReadEdges(packages, Fail);
        var kept = packages.Where(p => !p.IsLocal && PackageName.Normalize(p.Name) != projectName).ToList();
        var requirements = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in kept.GroupBy(p => PackageName.Normalize(p.Name)))
        {
            var forked = group.Count() > 1;
            foreach (var package in group)
            {
                var markers = new List<string>();
                if (forked)
                {
                    if (package.ResolutionMarkers.Count == 0)
                    {
                        throw Fail($"package '{package.Name}' is locked more than once but version {package.Version} has no 'resolution-markers' saying where it applies");
                    }
                    markers.Add(Either(package.ResolutionMarkers));
                }
                var edgeMarker = IncomingEdgeMarker(package, edges);
                if (edgeMarker is not null && !markers.Contains(edgeMarker)) markers.Add(edgeMarker);
                var requirement = package.Requirement + (markers.Count switch
                {
                    0 => "",
                    1 => " ; " + markers[0],
                    _ => " ; " + string.Join(" and ", markers.Select(m => $"({m})")),
                });
                try
                {
                    ValueRules.ValidatePipRequirement(requirement);
                }
                catch (ImageDefinitionException e)
                {
                    throw Fail($"package '{package.Name}' gives an invalid requirement ({e.Message})");
                }
                requirements.Add(requirement);
            }
        }
        return requirements.ToList();
    }

    /// <summary>One <c>[[package]]</c> entry, reduced to what the requirement needs.</summary>
    private sealed record LockedPackage(string Name, string? Version, bool IsLocal, string Requirement,
        IReadOnlyList<string> ResolutionMarkers, IReadOnlyList<TomlTable> Dependencies);

    private static List<LockedPackage> ReadPackages(TomlTable document, Func<string, ImageDefinitionException> fail)
    {
        if (!document.TryGetValue("package", out var value)) return [];
        if (value is not TomlTableArray tables) throw fail($"'package' must be an array of tables, not {TomlText.Describe(value)}");
        var packages = new List<LockedPackage>();
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            var where = $"package[{i}].";
            var name = TomlText.OptionalString(table, "name", where, fail);
            if (!PackageName.IsValid(name)) throw fail($"'{where}name' is missing or not a valid package name");
            where = $"package '{name}' ";
            var version = TomlText.OptionalString(table, "version", where, fail);
            var source = TomlText.OptionalTable(table, "source", where, fail) ?? throw fail($"{where}has no 'source'");
            var kind = source.Keys.FirstOrDefault(k => LocalSources.Contains(k) || RemoteSources.Contains(k))
                ?? throw fail($"{where}has a source of a kind this reader does not know ({string.Join(", ", source.Keys)})");
            var isLocal = LocalSources.Contains(kind);
            var requirement = isLocal ? "" : RemoteRequirement(name!, version, kind, source[kind], table, where, fail);
            var markers = TomlText.OptionalStringArray(table, "resolution-markers", where, fail);
            packages.Add(new LockedPackage(name!, version, isLocal, requirement, markers, DependencyEdges(table, where, fail)));
        }
        return packages;
    }

    private static string RemoteRequirement(string name, string? version, string kind, object? location, TomlTable table,
        string where, Func<string, ImageDefinitionException> fail)
    {
        if (kind == "registry")
        {
            if (string.IsNullOrWhiteSpace(version) || !LockedVersion().IsMatch(version))
            {
                throw fail($"{where}comes from a registry but has no valid 'version'");
            }
            return $"{name}=={version}";
        }
        if (location is not string url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw fail($"{where}has a '{kind}' source that is not an absolute URL");
        }
        if (kind == "git") return $"{name} @ {GitReference(uri, url, where, fail)}";
        if (uri.Scheme is not ("http" or "https")) throw fail($"{where}has a 'url' source that is not http or https");
        return $"{name} @ {url}{HashFragment(table, url)}";
    }

    /// <summary>
    /// uv writes a git source as <c>URL?rev=..&amp;subdirectory=..#COMMIT</c>; pip wants
    /// <c>git+URL@COMMIT#subdirectory=..</c>. The commit is required: a branch name would not be locked.
    /// </summary>
    private static string GitReference(Uri uri, string url, string where, Func<string, ImageDefinitionException> fail)
    {
        var commit = uri.Fragment.TrimStart('#');
        if (!CommitId().IsMatch(commit)) throw fail($"{where}has a git source without a locked commit ('#<sha>')");
        var cut = url.IndexOfAny(['?', '#']);
        var repository = url[..cut];
        var subdirectory = uri.Query.TrimStart('?').Split('&')
            .Where(p => p.StartsWith("subdirectory=", StringComparison.Ordinal))
            .Select(p => Uri.UnescapeDataString(p["subdirectory=".Length..]))
            .FirstOrDefault();
        var prefix = repository.StartsWith("git+", StringComparison.Ordinal) ? "" : "git+";
        return $"{prefix}{repository}@{commit}" + (subdirectory is null ? "" : $"#subdirectory={subdirectory}");
    }

    /// <summary><c>#sha256=..</c> from the lock's wheel or sdist entry for <paramref name="url"/>, so pip checks it.</summary>
    private static string HashFragment(TomlTable table, string url)
    {
        var candidates = new List<TomlTable>();
        if (table.TryGetValue("wheels", out var wheels) && wheels is TomlArray array) candidates.AddRange(array.OfType<TomlTable>());
        if (table.TryGetValue("sdist", out var sdist) && sdist is TomlTable sdistTable) candidates.Add(sdistTable);
        foreach (var entry in candidates)
        {
            var entryUrl = entry.TryGetValue("url", out var u) ? u as string : null;
            if (entryUrl is not null && entryUrl != url) continue;
            if (entry.TryGetValue("hash", out var h) && h is string hash && Sha256().Match(hash) is { Success: true } m)
            {
                return "#sha256=" + m.Groups[1].Value;
            }
        }
        return "";
    }

    /// <summary>Every dependency edge of a package: <c>dependencies</c>, and each group of
    /// <c>optional-dependencies</c> and <c>dev-dependencies</c>.</summary>
    private static List<TomlTable> DependencyEdges(TomlTable table, string where, Func<string, ImageDefinitionException> fail)
    {
        var edges = new List<TomlTable>();
        void AddArray(object? value, string key)
        {
            if (value is not TomlArray array) throw fail($"{where}'{key}' must be an array of tables");
            foreach (var item in array) edges.Add(item as TomlTable ?? throw fail($"{where}'{key}' holds {TomlText.Describe(item)}, not a table"));
        }
        if (table.TryGetValue("dependencies", out var direct)) AddArray(direct, "dependencies");
        foreach (var groupKey in new[] { "optional-dependencies", "dev-dependencies" })
        {
            var groups = TomlText.OptionalTable(table, groupKey, where, fail);
            if (groups is null) continue;
            foreach (var (group, value) in groups) AddArray(value, $"{groupKey}.{group}");
        }
        return edges;
    }

    /// <summary>One dependency edge: the target's normalized name, the version it pins when the target
    /// is locked more than once, and its marker.</summary>
    private sealed record Edge(string Name, string? Version, string? Marker);

    private static List<Edge> ReadEdges(List<LockedPackage> packages, Func<string, ImageDefinitionException> fail)
        => packages.SelectMany(p => p.Dependencies).Select(edge => new Edge(
                edge.TryGetValue("name", out var n) && n is string s && PackageName.IsValid(s)
                    ? PackageName.Normalize(s) : throw fail("a dependency edge has no valid 'name'"),
                edge.TryGetValue("version", out var v) ? v as string : null,
                edge.TryGetValue("marker", out var m) ? m as string : null))
            .ToList();

    /// <summary>
    /// The markers of the edges into <paramref name="package"/> joined with 'or' when EVERY such edge
    /// has one, else null (installed everywhere). Only one level is considered: a package reached
    /// through a conditional parent by an unconditional edge is installed everywhere.
    /// </summary>
    private static string? IncomingEdgeMarker(LockedPackage package, List<Edge> edges)
    {
        var name = PackageName.Normalize(package.Name);
        var incoming = edges.Where(e => e.Name == name && (e.Version is null || e.Version == package.Version)).ToList();
        if (incoming.Count == 0 || incoming.Any(e => string.IsNullOrWhiteSpace(e.Marker))) return null;
        return Either(incoming.Select(e => e.Marker!).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Markers joined with 'or', each parenthesized so their own 'and'/'or' keep their meaning.</summary>
    private static string Either(IReadOnlyList<string> markers)
        => markers.Count == 1 ? markers[0] : string.Join(" or ", markers.Select(m => $"({m})"));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+!_-]*$")]
    private static partial Regex LockedVersion();

    [GeneratedRegex("^[0-9a-f]{40}([0-9a-f]{24})?$")]
    private static partial Regex CommitId();

    [GeneratedRegex("^sha256:([0-9a-f]{64})$")]
    private static partial Regex Sha256();
}
