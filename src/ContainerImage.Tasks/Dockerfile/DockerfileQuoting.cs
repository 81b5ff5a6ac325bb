using System.Text;

namespace ContainerImage.Dockerfile;

/// <summary>
/// Every quoting and escaping rule of the generated Dockerfile, in one place. Each rule was checked
/// against the engine's built-in Dockerfile frontend (BuildKit 0.13): the model already refuses
/// what no rule can hold (newlines, control characters), so these only have to keep values literal.
/// </summary>
public static class DockerfileQuoting
{
    /// <summary>
    /// A POSIX shell single-quoted word: <c>'it'\''s'</c>. Inside single quotes nothing is special
    /// to the shell, so '$', '"', '\\', ';', spaces and unicode stay literal; a single quote ends the
    /// quoting, is written escaped, and quoting resumes.
    /// </summary>
    public static string Shell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Shell-quotes each word and joins them with spaces.</summary>
    public static string ShellWords(IEnumerable<string> values) => string.Join(' ', values.Select(Shell));

    /// <summary>
    /// A Dockerfile double-quoted word for ENV values and WORKDIR: the frontend's word processor
    /// treats '\\' as the escape character and expands '$' inside double quotes, so '\\', '"' and
    /// '$' are escaped; single quotes, spaces, ';', tabs and leading/trailing blanks stay literal.
    /// </summary>
    public static string DoubleQuoted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '\\' or '"' or '$') text.Append('\\');
            text.Append(c);
        }
        return text.Append('"').ToString();
    }

    /// <summary>
    /// The JSON-array (exec) form of COPY arguments, e.g. <c>["layers/3/", "/app/"]</c>. After the
    /// JSON is decoded, the frontend still runs each string through its word processor (variable
    /// expansion and quote removal: a bare <c>'</c> in a destination fails the build), so every
    /// character that processor treats specially is escaped with '\\' before JSON encoding.
    /// </summary>
    public static string CopyArguments(params string[] paths)
        => "[" + string.Join(", ", paths.Select(p => Json(EscapeForWordProcessor(p)))) + "]";

    /// <summary>
    /// The JSON-array (exec) form of ENTRYPOINT, CMD and HEALTHCHECK CMD, e.g. <c>["/app/web", "--port", "8080"]</c>.
    /// Unlike COPY, these instructions never run their exec form through the word processor (no variable
    /// expansion, no quote removal), so JSON escaping alone keeps every argument literal; an empty list is <c>[]</c>.
    /// </summary>
    public static string ExecForm(IEnumerable<string> arguments)
        => "[" + string.Join(", ", arguments.Select(Json)) + "]";

    /// <summary>
    /// The JSON-array (exec) form of a RUN step through <c>/bin/sh -c</c>. RUN's exec form is neither
    /// expanded nor scanned for heredocs, so any one-line script is passed to the shell unchanged.
    /// </summary>
    public static string ShellExecForm(string script) => "[\"/bin/sh\", \"-c\", " + Json(script) + "]";

    /// <summary>
    /// A <c>--mount=</c> flag from its comma-separated fields. Fields never contain ',' or '"' (the
    /// model refuses them in mount paths); a field with a space makes the whole value double-quoted,
    /// which the RUN flag parser accepts.
    /// </summary>
    public static string MountFlag(params string[] fields)
    {
        foreach (var field in fields)
        {
            if (field.IndexOfAny([',', '"', '\n', '\r']) >= 0)
                throw new ArgumentException($"A --mount field cannot hold ',', '\"' or a newline: '{field}'.", nameof(fields));
        }
        var value = string.Join(',', fields);
        return value.Any(char.IsWhiteSpace) ? "--mount=\"" + value + "\"" : "--mount=" + value;
    }

    /// <summary>True when the RUN shell form cannot hold <paramref name="script"/> literally: the
    /// frontend reads <c>&lt;&lt;WORD</c> on a RUN line as a heredoc and would swallow the next lines,
    /// takes leading <c>--words</c> as RUN flags (<c>--mount=...</c>, <c>--network=host</c>), and takes a
    /// leading JSON array as the exec form, and trims leading/trailing (unicode) blanks the shell would
    /// keep (found by the generated hostile-input tests).</summary>
    public static bool NeedsExecForm(string script)
    {
        var start = script.TrimStart();
        return script.Contains("<<", StringComparison.Ordinal) || start.StartsWith("--", StringComparison.Ordinal) || start.StartsWith('[')
            || (script.Length > 0 && (char.IsWhiteSpace(script[0]) || char.IsWhiteSpace(script[^1])));
    }

    private static string EscapeForWordProcessor(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or '\'' or '"' or '$') text.Append('\\');
            text.Append(c);
        }
        return text.ToString();
    }

    private static string Json(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
