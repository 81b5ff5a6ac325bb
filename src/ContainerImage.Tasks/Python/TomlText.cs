using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;
using Tomlyn;
using Tomlyn.Model;

namespace ContainerImage.Python;

/// <summary>
/// Reading the Python tool files (pyproject.toml, uv.lock, a PEP 723 block) into Tomlyn's model,
/// turning every failure into a coded error that names the file and the line.
/// </summary>
internal static partial class TomlText
{
    /// <summary>The full path, or <see cref="DiagnosticCodes.FileNotFound"/> for a path no file can have.</summary>
    public static string FullPath(string? path, string what) => Model.ValueRules.FullHostPath(path ?? "", what);

    /// <summary>
    /// Reads a file's text. A missing file is <see cref="DiagnosticCodes.FileNotFound"/> (naming it as
    /// <paramref name="what"/>), an unreadable one <see cref="DiagnosticCodes.PythonInputUnreadable"/>.
    /// </summary>
    public static string ReadFile(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new ImageDefinitionException(DiagnosticCodes.FileNotFound, what, path);
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.PythonInputUnreadable, what, path, e.Message);
        }
    }

    /// <summary>
    /// Parses <paramref name="text"/>; on a TOML error calls <paramref name="fail"/> with a reason that
    /// names the line in the file (<paramref name="firstLine"/> is the file line the text starts on).
    /// </summary>
    public static TomlTable Parse(string text, int firstLine, Func<string, ImageDefinitionException> fail)
    {
        try
        {
            return TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            // Tomlyn's message starts with "(line,column) : error : "; we restate the position in file terms.
            var message = PositionPrefix().Replace(e.Message.Split('\n')[0].Trim(), "").TrimEnd('.');
            var where = e.Line > 0 ? $"line {firstLine + e.Line - 1}, column {e.Column}: " : "";
            throw fail($"its TOML is not valid at {where}{message}");
        }
    }

    /// <summary>The string at <paramref name="key"/>, null when absent; <paramref name="fail"/> when of another type.</summary>
    public static string? OptionalString(TomlTable table, string key, string where, Func<string, ImageDefinitionException> fail)
    {
        if (!table.TryGetValue(key, out var value)) return null;
        return value as string ?? throw fail($"'{where}{key}' must be a string, not {Describe(value)}");
    }

    /// <summary>The table at <paramref name="key"/>, null when absent; <paramref name="fail"/> when of another type.</summary>
    public static TomlTable? OptionalTable(TomlTable table, string key, string where, Func<string, ImageDefinitionException> fail)
    {
        if (!table.TryGetValue(key, out var value)) return null;
        return value as TomlTable ?? throw fail($"'{where}{key}' must be a table, not {Describe(value)}");
    }

    /// <summary>The array of strings at <paramref name="key"/>, empty when absent; <paramref name="fail"/> on other types.</summary>
    public static IReadOnlyList<string> OptionalStringArray(TomlTable table, string key, string where, Func<string, ImageDefinitionException> fail)
    {
        if (!table.TryGetValue(key, out var value)) return [];
        if (value is not TomlArray array) throw fail($"'{where}{key}' must be an array of strings, not {Describe(value)}");
        var result = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            result.Add(array[i] as string ?? throw fail($"'{where}{key}[{i}]' must be a string, not {Describe(array[i])}"));
        }
        return result;
    }

    /// <summary>
    /// An optional array of PEP 508 requirements (a script's or a project's <c>dependencies</c>), each checked
    /// with the rule the model applies to pip requirements, so a bad one is reported where it is declared.
    /// </summary>
    public static IReadOnlyList<string> OptionalRequirements(TomlTable table, string key, string where, Func<string, ImageDefinitionException> fail)
    {
        var requirements = OptionalStringArray(table, key, where, fail);
        for (var i = 0; i < requirements.Count; i++)
        {
            try
            {
                Model.ValueRules.ValidatePipRequirement(requirements[i]);
            }
            catch (ImageDefinitionException e)
            {
                throw fail($"'{where}{key}[{i}]' is not a valid requirement ({e.Message})");
            }
        }
        return requirements;
    }

    /// <summary>The TOML type name of <paramref name="value"/>, for messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "nothing",
        string => "a string",
        long or int => "an integer",
        double or float => "a float",
        bool => "a boolean",
        TomlArray => "an array",
        TomlTableArray => "an array of tables",
        TomlTable => "a table",
        _ => "a date or time",
    };

    [GeneratedRegex(@"^\(\d+,\d+\)\s*:\s*error\s*:\s*")]
    private static partial Regex PositionPrefix();
}
