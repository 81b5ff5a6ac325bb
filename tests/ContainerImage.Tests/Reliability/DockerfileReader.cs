using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContainerImage.Tests.Reliability;

/// <summary>One instruction as the BuildKit frontend would see it: keyword, leading --flags, and the body.</summary>
internal sealed record ReadInstruction(string Keyword, IReadOnlyList<string> Flags, string Body)
{
    /// <summary>The body as a JSON string array (exec form), or null when it is not one.</summary>
    public string[]? Json => ReadJson(Body);

    private static string[]? ReadJson(string body)
    {
        if (!body.StartsWith('[')) return null;
        try { return JsonSerializer.Deserialize<string[]>(body); }
        catch (JsonException) { return null; }
    }
}

/// <summary>
/// An independent reader of generated Dockerfiles, written from the frontend's rules rather than
/// from the writer (so it does not share the writer's mistakes): comments and blank lines skipped,
/// a trailing backslash joining the next line, leading <c>--flag</c> words split off, JSON forms,
/// and the word processor's double-quote/backslash rules for ENV, LABEL and WORKDIR values.
/// </summary>
internal static partial class DockerfileReader
{
    public static IReadOnlyList<ReadInstruction> Read(string text)
    {
        var result = new List<ReadInstruction>();
        var pending = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var trimmed = raw.TrimStart();
            if (trimmed.StartsWith('#') || (pending.Length == 0 && trimmed.Length == 0)) continue;
            var continuation = Continuation().Match(raw);
            if (continuation.Success) { pending.Append(raw[..continuation.Index]); continue; }
            pending.Append(raw);
            result.Add(Split(pending.ToString().Trim()));
            pending.Clear();
        }
        if (pending.Length > 0) result.Add(Split(pending.ToString().Trim()));
        return result;
    }

    private static ReadInstruction Split(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var rest = space < 0 ? "" : line[(space + 1)..].TrimStart();
        var flags = new List<string>();
        // Only these instructions take flags; a body that starts with "--" anywhere else is literal.
        if (keyword is "RUN" or "COPY" or "ADD" or "HEALTHCHECK" or "FROM")
        {
            while (rest.StartsWith("--", StringComparison.Ordinal))
            {
                var end = FlagEnd(rest);
                flags.Add(rest[..end]);
                rest = rest[end..].TrimStart();
            }
        }
        return new ReadInstruction(keyword, flags, rest);
    }

    // A flag ends at the first blank outside double quotes (--mount="a b,c" is one flag).
    private static int FlagEnd(string text)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (!quoted && text[i] is ' ' or '\t') return i;
        }
        return text.Length;
    }

    /// <summary>
    /// Reads <c>KEY="value" KEY2="value2"</c> (ENV and LABEL): inside double quotes a backslash
    /// escapes the next character. Returns null when the text is not exactly such pairs.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? Pairs(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            if (equals < 0) return null;
            var key = text[i..equals];
            if (key.Length == 0 || key.Any(c => c is ' ' or '"' or '\\' or '$')) return null;
            var value = Quoted(text, equals + 1, out var next);
            if (value is null) return null;
            pairs.Add(new(key, value));
            i = next;
            if (i < text.Length) { if (text[i] != ' ') return null; i++; }
        }
        return pairs;
    }

    /// <summary>The value of a text that is exactly one double-quoted word, or null.</summary>
    public static string? SingleQuotedWord(string text)
        => Quoted(text, 0, out var next) is { } value && next == text.Length ? value : null;

    private static string? Quoted(string text, int start, out int next)
    {
        next = start;
        if (start >= text.Length || text[start] != '"') return null;
        var value = new StringBuilder();
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length) { value.Append(text[++i]); continue; }
            // An unescaped '$' inside double quotes is expanded by the frontend: not literal.
            if (c == '$') return null;
            if (c == '"') { next = i + 1; return value.ToString(); }
            value.Append(c);
        }
        return null;
    }

    /// <summary>Undoes the word processor's backslash escapes of a COPY exec-form argument.</summary>
    public static string? Unescape(string word)
    {
        var value = new StringBuilder();
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c == '\\') { if (i + 1 == word.Length) return null; value.Append(word[++i]); continue; }
            if (c is '$' or '"' or '\'') return null;
            value.Append(c);
        }
        return value.ToString();
    }

    [GeneratedRegex(@"\\[ \t]*$")]
    private static partial Regex Continuation();
}
