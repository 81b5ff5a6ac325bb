namespace ContainerImage.Build;

/// <summary>
/// Writes the comma-separated <c>key=value</c> lists of <c>--secret</c> and <c>--output</c>. buildx
/// reads them as CSV, so a field holding a comma or a quote (a path, a tag list) is quoted, and
/// quotes inside are doubled; anything else would let a path change which options buildx sees.
/// </summary>
internal static class CommaSeparatedValue
{
    /// <summary>Joins the fields, quoting those that need it.</summary>
    public static string Join(params string[] fields) => string.Join(',', fields.Select(Quote));

    /// <summary>One field, quoted when it holds <c>,</c>, <c>"</c> or a line break.</summary>
    public static string Quote(string field)
        => field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
