using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using NuGet.Versioning;

namespace ContainerImage.Python;

/// <summary>
/// A PEP 440 version specifier set (the value of <c>requires-python</c>) as NuGet.Versioning ranges:
/// the intersection of its ordered clauses (<c>&gt;=</c>, <c>&lt;</c>, <c>==</c>, <c>~=</c>, ...) as one
/// <see cref="VersionRange"/>, and its <c>!=</c> clauses as ranges a version must stay out of.
/// Only final Python releases are ever tested against it (see <see cref="Pep440Version"/>).
/// </summary>
public sealed partial class PythonSpecifierSet
{
    private readonly IReadOnlyList<Pep440Version> _mentioned;

    private PythonSpecifierSet(string text, VersionRange allowed, IReadOnlyList<VersionRange> excluded,
        IReadOnlyList<string> exactStrings, IReadOnlyList<Pep440Version> mentioned)
    {
        Text = text;
        Allowed = allowed;
        Excluded = excluded;
        ArbitraryEqualities = exactStrings;
        _mentioned = mentioned;
    }

    /// <summary>The specifier set as written.</summary>
    public string Text { get; }

    /// <summary>The intersection of every ordered and <c>==</c> clause (<see cref="VersionRange.All"/> when none).</summary>
    public VersionRange Allowed { get; }

    /// <summary>The <c>!=</c> clauses: a satisfying version lies in none of these.</summary>
    public IReadOnlyList<VersionRange> Excluded { get; }

    /// <summary>The <c>===</c> clauses: a satisfying version's text is each of these exactly.</summary>
    public IReadOnlyList<string> ArbitraryEqualities { get; }

    /// <summary>
    /// Parses a specifier set; <paramref name="source"/> names the file it came from for the message.
    /// Throws <see cref="DiagnosticCodes.InvalidRequiresPython"/>. An empty text allows every version
    /// (as PEP 440 defines for an empty specifier set).
    /// </summary>
    public static PythonSpecifierSet Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ordered = new List<VersionRange>();
        var excluded = new List<VersionRange>();
        var exact = new List<string>();
        var mentioned = new List<Pep440Version>();
        if (ValueRules.HasControlCharacter(text))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidRequiresPython, text, source, "it contains a newline or control character");
        }
        if (!string.IsNullOrWhiteSpace(text))
        {
            foreach (var rawClause in text.Split(','))
            {
                var clause = rawClause.Trim();
                var m = ClausePattern().Match(clause);
                if (!m.Success)
                {
                    throw new ImageDefinitionException(DiagnosticCodes.InvalidRequiresPython, text, source,
                        clause.Length == 0 ? "it has an empty clause" : $"the clause '{clause}' does not start with one of ~= == != <= >= < > ===");
                }
                var op = m.Groups["op"].Value;
                var versionText = m.Groups["version"].Value.Trim();
                if (op == "===")
                {
                    // Arbitrary equality compares strings, so it needs no version grammar.
                    exact.Add(versionText);
                    continue;
                }
                AddClause(text, source, op, versionText, ordered, excluded, mentioned);
            }
        }
        var allowed = ordered.Count == 0 ? VersionRange.All : VersionRange.CommonSubSet(ordered);
        return new PythonSpecifierSet(text, allowed, excluded, exact, mentioned);
    }

    /// <summary>True when the final release <paramref name="version"/> satisfies every clause.</summary>
    public bool IsSatisfiedBy(NuGetVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var text = $"{version.Major}.{version.Minor}.{version.Patch}";
        return Allowed.Satisfies(version)
            && !Excluded.Any(range => range.Satisfies(version))
            && ArbitraryEqualities.All(exact => string.Equals(exact, text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// True when SOME final release <c>X.Y.z</c> of <paramref name="minor"/> satisfies every clause.
    /// Clauses only compare against the versions they mention, so the set of satisfying patch numbers
    /// changes only next to those versions: testing z = 0, every patch p that a clause mentions for
    /// X.Y with p-1 and p+1, every patch an <c>===</c> clause names, and z = 99999 (standing for
    /// "every later patch") is exact.
    /// </summary>
    public bool IsSatisfiedBy(PythonVersion minor)
    {
        var patches = new SortedSet<int> { 0, 99999 };
        foreach (var v in _mentioned.Where(v => v.Major == minor.Major && v.Minor == minor.Minor))
        {
            patches.Add(v.Patch);
            patches.Add(v.Patch + 1);
            if (v.Patch > 0) patches.Add(v.Patch - 1);
        }
        foreach (var exact in ArbitraryEqualities)
        {
            var p = exact.Split('.');
            if (p.Length == 3 && p[0] == minor.Major.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && p[1] == minor.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && int.TryParse(p[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var patch))
            {
                patches.Add(patch);
            }
        }
        return patches.Any(z => IsSatisfiedBy(new NuGetVersion(minor.Major, minor.Minor, z)));
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static void AddClause(string text, string source, string op, string versionText,
        List<VersionRange> ordered, List<VersionRange> excluded, List<Pep440Version> mentioned)
    {
        var isPrefix = versionText.EndsWith(".*", StringComparison.Ordinal);
        if (isPrefix && op is not ("==" or "!="))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidRequiresPython, text, source, $"'{op}{versionText}': a '.*' suffix is only allowed with == and !=");
        }
        var version = Pep440Version.TryParse(isPrefix ? versionText[..^2] : versionText, out var reason)
            ?? throw new ImageDefinitionException(DiagnosticCodes.InvalidRequiresPython, text, source, reason);
        if (isPrefix && !version.IsFinal)
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidRequiresPython, text, source, $"'{op}{versionText}': a '.*' prefix may only hold release numbers");
        }
        if (op == "~=" && version.Release.Length < 2)
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidRequiresPython, text, source, $"'~={versionText}' needs at least major.minor");
        }
        mentioned.Add(version);
        var v = version.ToNuGetVersion();
        switch (op)
        {
            case ">=": ordered.Add(new VersionRange(v, true, null, false)); break;
            case ">": ordered.Add(new VersionRange(v, false, null, false)); break;
            case "<=": ordered.Add(new VersionRange(null, false, v, true)); break;
            case "<": ordered.Add(new VersionRange(null, false, v, false)); break;
            case "==": ordered.Add(isPrefix ? PrefixRange(version.Release) : new VersionRange(v, true, v, true)); break;
            case "!=": excluded.Add(isPrefix ? PrefixRange(version.Release) : new VersionRange(v, true, v, true)); break;
            default:
                // ~=V.N means >=V.N together with ==V.* (PEP 440 "compatible release").
                ordered.Add(new VersionRange(v, true, null, false));
                ordered.Add(PrefixRange(version.Release[..^1]));
                break;
        }
    }

    /// <summary>The final releases that start with <paramref name="prefix"/> (<c>3.12</c> -> [3.12.0, 3.13.0)).</summary>
    private static VersionRange PrefixRange(int[] prefix)
    {
        var low = new int[3];
        var high = new int[3];
        Array.Copy(prefix, low, prefix.Length);
        Array.Copy(prefix, high, prefix.Length);
        high[prefix.Length - 1]++;
        return new VersionRange(new NuGetVersion(low[0], low[1], low[2]), true, new NuGetVersion(high[0], high[1], high[2]), false);
    }

    [GeneratedRegex(@"^(?<op>===|~=|==|!=|<=|>=|<|>)(?<version>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ClausePattern();
}
