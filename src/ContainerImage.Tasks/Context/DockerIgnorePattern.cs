using System.Text;
using System.Text.RegularExpressions;

namespace ContainerImage.Context;

/// <summary>
/// One .dockerignore pattern with the exact meaning Docker gives it (moby/patternmatcher): '*' and
/// '?' never cross '/', '**' crosses any number of folders, '[...]' is a character class, '\' escapes
/// the next character, a leading '!' makes it an exception. Matching is case-sensitive and ordinal.
/// </summary>
public sealed class DockerIgnorePattern
{
    // The four ways patternmatcher matches; they differ from a plain regex in corner cases
    // (e.g. "**foo" is a suffix test that also matches "barfoo"), which Docker users rely on.
    private enum MatchKind { Exact, Prefix, Suffix, Regex }

    private readonly MatchKind _kind;
    private readonly Regex? _regex;

    private DockerIgnorePattern(string cleaned, bool isException, MatchKind kind, Regex? regex)
    {
        Text = cleaned;
        IsException = isException;
        _kind = kind;
        _regex = regex;
    }

    /// <summary>The cleaned pattern, without the '!'.</summary>
    public string Text { get; }

    /// <summary>True for a '!' exception, which re-includes what it matches.</summary>
    public bool IsException { get; }

    /// <summary>
    /// The text every path this pattern matches starts with: the pattern up to its first wildcard, class or
    /// escape (all of it for a plain name). A folder whose path with '/' appended neither starts with it nor
    /// is a start of it holds nothing the pattern can match, so the walker stops trying it below that folder.
    /// </summary>
    internal string LiteralPrefix { get; private set; } = "";

    /// <summary>True when the pattern matches exactly one path, its <see cref="Text"/> (no wildcard at all).</summary>
    internal bool IsExact => _kind == MatchKind.Exact;

    /// <summary>
    /// Compiles a pattern as patternmatcher does (trim, Go <c>filepath.Clean</c>, '!' prefix).
    /// Returns null for an empty pattern; false with a reason for an invalid one.
    /// </summary>
    public static bool TryCreate(string pattern, out DockerIgnorePattern? result, out string error)
    {
        result = null;
        error = "";
        var p = pattern.Trim();
        if (p.Length == 0) return true;
        p = GoPath.Clean(p);
        var isException = false;
        if (p[0] == '!')
        {
            if (p.Length == 1)
            {
                error = "'!' alone excludes nothing";
                return false;
            }
            isException = true;
            p = p[1..];
        }
        if (!IsValidGlob(p, out error)) return false;
        var (kind, regexText) = Translate(p);
        Regex? regex = null;
        if (kind == MatchKind.Regex)
        {
            try
            {
                regex = new Regex(regexText, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return false;
            }
        }
        // '^' too: copied into the regex as an anchor, it is not a literal character there.
        var wild = p.AsSpan().IndexOfAny("*?[]\\^");
        result = new DockerIgnorePattern(p, isException, kind, regex) { LiteralPrefix = wild < 0 ? p : p[..wild] };
        return true;
    }

    /// <summary>True when the pattern matches the cleaned, '/'-separated relative <paramref name="path"/> itself.</summary>
    public bool Matches(string path) => _kind switch
    {
        MatchKind.Exact => path == Text,
        MatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
        MatchKind.Suffix => SuffixMatches(path),
        _ => _regex!.IsMatch(path),
    };

    /// <inheritdoc/>
    public override string ToString() => IsException ? "!" + Text : Text;

    private bool SuffixMatches(string path)
    {
        var suffix = Text[2..];
        if (path.EndsWith(suffix, StringComparison.Ordinal)) return true;
        // "**/foo" also matches "foo" at the root.
        return suffix.Length > 0 && suffix[0] == '/' && path == suffix[1..];
    }

    // patternmatcher's Pattern.compile, token by token.
    private static (MatchKind Kind, string Regex) Translate(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = MatchKind.Exact;
        var i = 0;
        for (var token = 0; i < pattern.Length; token++)
        {
            var ch = pattern[i++];
            if (ch == '*')
            {
                if (i < pattern.Length && pattern[i] == '*')
                {
                    i++;
                    if (i < pattern.Length && pattern[i] == '/') i++; // "**/" is "**"
                    if (i >= pattern.Length)
                    {
                        // A trailing "**" matches everything below, like .gitignore.
                        if (kind == MatchKind.Exact) kind = MatchKind.Prefix;
                        else
                        {
                            regex.Append(".*");
                            kind = MatchKind.Regex;
                        }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        kind = MatchKind.Regex;
                    }
                    if (token == 0) kind = MatchKind.Suffix;
                }
                else
                {
                    regex.Append("[^/]*");
                    kind = MatchKind.Regex;
                }
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
                kind = MatchKind.Regex;
            }
            else if (".+()|{}$".Contains(ch))
            {
                regex.Append('\\').Append(ch);
            }
            else if (ch == '\\')
            {
                if (i < pattern.Length)
                {
                    regex.Append('\\').Append(pattern[i++]);
                    kind = MatchKind.Regex;
                }
                else regex.Append("\\\\");
            }
            else if (ch is '[' or ']')
            {
                regex.Append(ch);
                kind = MatchKind.Regex;
            }
            else
            {
                // Copied as is, like Docker does: even '^' (an anchor outside a class, so a
                // wildcard pattern holding one never matches, in Docker and here alike).
                regex.Append(ch);
            }
        }
        // \z, not $: .NET's '$' also matches before a final newline.
        regex.Append("\\z");
        return (kind, regex.ToString());
    }

    // Go's filepath.Match syntax check, which Docker runs on every pattern: a '\' must escape
    // something, and every '[' must close over at least one valid range.
    private static bool IsValidGlob(string p, out string error)
    {
        error = "";
        var i = 0;
        while (i < p.Length)
        {
            var c = p[i++];
            if (c == '\\')
            {
                if (i >= p.Length) { error = "it ends with an escaping '\\'"; return false; }
                i++;
            }
            else if (c == '[')
            {
                if (i < p.Length && p[i] == '^') i++;
                var ranges = 0;
                while (true)
                {
                    if (i < p.Length && p[i] == ']' && ranges > 0) { i++; break; }
                    if (!ReadClassChar(p, ref i, out var lo)) { error = "it has an unclosed or malformed '[...]' class"; return false; }
                    if (p[i] == '-')
                    {
                        i++;
                        if (!ReadClassChar(p, ref i, out var hi)) { error = "it has a malformed range in a '[...]' class"; return false; }
                        if (lo > hi) { error = "it has a reversed range in a '[...]' class"; return false; }
                    }
                    ranges++;
                }
            }
        }
        return true;
    }

    private static bool ReadClassChar(string p, ref int i, out char value)
    {
        value = '\0';
        if (i >= p.Length || p[i] == '-' || p[i] == ']') return false;
        if (p[i] == '\\')
        {
            i++;
            if (i >= p.Length) return false;
        }
        value = p[i++];
        // A class must be followed by more pattern (its ']' at least).
        return i < p.Length;
    }
}
