using System.Text;
using System.Text.RegularExpressions;

namespace ContainerImage.Python;

/// <summary>
/// The parts of pip's requirements-file syntax (pip/_internal/req/req_file.py) that decide which
/// files a requirements file includes: physical lines joined at a trailing '\', comments removed,
/// option lines split like <c>shlex.split</c> and read like <c>optparse</c>, including its
/// <c>-rFILE</c>, <c>--requirement=FILE</c> and unambiguous long-option abbreviation forms.
/// </summary>
internal static partial class PipRequirementsSyntax
{
    /// <summary>One option that names an included file.</summary>
    public sealed record Include(string Option, string Value, int Line);

    /// <summary>Long options pip accepts in a requirements file, and whether each takes a value.</summary>
    private static readonly Dictionary<string, bool> LongOptions = new(StringComparer.Ordinal)
    {
        ["index-url"] = true, ["extra-index-url"] = true, ["no-index"] = false, ["constraint"] = true,
        ["requirement"] = true, ["editable"] = true, ["find-links"] = true, ["no-binary"] = true,
        ["only-binary"] = true, ["prefer-binary"] = false, ["require-hashes"] = false, ["pre"] = false,
        ["trusted-host"] = true, ["use-feature"] = true, ["global-option"] = true, ["config-settings"] = true,
        ["hash"] = true,
    };

    /// <summary>pip's short options (all take a value) and their long names.</summary>
    private static readonly Dictionary<char, string> ShortOptions = new()
    {
        ['i'] = "index-url", ['c'] = "constraint", ['r'] = "requirement", ['e'] = "editable", ['f'] = "find-links",
    };

    /// <summary>
    /// pip's logical lines with their first physical line number: <c>join_lines</c> then
    /// <c>ignore_comments</c>, same rules (a comment line never continues; '\' is stripped from both
    /// ends of a continued line; '#' starts a comment at the line start or after whitespace).
    /// </summary>
    public static IEnumerable<(int Line, string Text)> LogicalLines(string content)
    {
        var physical = LineBreak().Split(content);
        var pending = new StringBuilder();
        var pendingStart = 0;
        var joining = false;
        for (var i = 0; i < physical.Length; i++)
        {
            var line = physical[i];
            var isComment = CommentLine().IsMatch(line);
            if (!line.EndsWith('\\') || isComment)
            {
                if (isComment) line = " " + line;
                if (joining)
                {
                    pending.Append(line);
                    yield return (pendingStart, pending.ToString());
                    pending.Clear();
                    joining = false;
                }
                else
                {
                    yield return (i + 1, line);
                }
            }
            else
            {
                if (!joining) pendingStart = i + 1;
                joining = true;
                pending.Append(line.Trim('\\'));
            }
        }
        if (joining) yield return (pendingStart, pending.ToString());
    }

    /// <summary>The logical lines without comments, empty ones dropped.</summary>
    public static IEnumerable<(int Line, string Text)> MeaningfulLines(string content)
        => LogicalLines(content)
            .Select(l => (l.Line, Text: Comment().Replace(l.Text, "").Trim()))
            .Where(l => l.Text.Length > 0);

    /// <summary>
    /// The <c>-r</c>/<c>-c</c> includes of one meaningful line. Like pip, only an option line (its first
    /// space-separated token starts with '-') can include; a requirement line's options cannot.
    /// Returns null with <paramref name="error"/> when the line cannot be split (an unclosed quote).
    /// </summary>
    public static IReadOnlyList<Include>? IncludesOf(int lineNumber, string line, out string error)
    {
        error = "";
        var includes = new List<Include>();
        if (!line.Split(' ')[0].StartsWith('-')) return includes;
        var args = ShellSplit(line, out error);
        if (args is null) return null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") break;
            string? longName;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=');
                var written = eq < 0 ? arg[2..] : arg[2..eq];
                longName = ResolveLong(written);
                if (longName is null) continue; // unknown or ambiguous: pip itself reports it
                if (!LongOptions[longName]) continue;
                if (eq >= 0) value = arg[(eq + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
            }
            else if (arg.Length >= 2 && arg[0] == '-' && ShortOptions.TryGetValue(arg[1], out var mapped))
            {
                longName = mapped;
                if (arg.Length > 2) value = arg[2..];
                else if (i + 1 < args.Count) value = args[++i];
            }
            else
            {
                continue;
            }
            if (longName is "requirement" or "constraint")
            {
                includes.Add(new Include(longName == "requirement" ? "-r" : "-c", value ?? "", lineNumber));
            }
        }
        return includes;
    }

    /// <summary>optparse's long-option matching: an exact name, or a prefix of exactly one name.</summary>
    private static string? ResolveLong(string written)
    {
        if (LongOptions.ContainsKey(written)) return written;
        var matches = LongOptions.Keys.Where(k => written.Length > 0 && k.StartsWith(written, StringComparison.Ordinal)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>
    /// POSIX <c>shlex.split</c> without comments (pip removed them already): whitespace separates,
    /// single quotes are literal, double quotes let '\' escape only '"' and '\', and '\' outside
    /// quotes escapes the next character.
    /// </summary>
    public static List<string>? ShellSplit(string text, out string error)
    {
        error = "";
        var result = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inToken) result.Add(current.ToString());
                current.Clear();
                inToken = false;
                continue;
            }
            inToken = true;
            if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                if (end < 0) { error = "has an unclosed single quote"; return null; }
                current.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                var closed = false;
                for (i++; i < text.Length; i++)
                {
                    if (text[i] == '"') { closed = true; break; }
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\') i++;
                    current.Append(text[i]);
                }
                if (!closed) { error = "has an unclosed double quote"; return null; }
            }
            else if (c == '\\')
            {
                if (i + 1 >= text.Length) { error = "ends with an escape character"; return null; }
                current.Append(text[++i]);
            }
            else
            {
                current.Append(c);
            }
        }
        if (inToken) result.Add(current.ToString());
        return result;
    }

    /// <summary>Python's <c>str.splitlines</c> boundaries.</summary>
    [GeneratedRegex("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")]
    private static partial Regex LineBreak();

    /// <summary>pip's COMMENT_RE used with <c>match</c>: a line that starts with (whitespace and) '#'.</summary>
    [GeneratedRegex(@"^\s*#")]
    private static partial Regex CommentLine();

    /// <summary>pip's COMMENT_RE used with <c>sub</c>: '#' at the start or after whitespace, to the end.</summary>
    [GeneratedRegex(@"(^|\s+)#.*$")]
    private static partial Regex Comment();
}
