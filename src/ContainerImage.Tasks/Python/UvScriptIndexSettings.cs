using ContainerImage.Diagnostics;
using ContainerImage.Model;
using Tomlyn.Model;

namespace ContainerImage.Python;

/// <summary>
/// The package-index settings a uv script may carry in its header's <c>[tool.uv]</c> table, the ones
/// <c>uv run</c> itself honours: <c>index-url</c>, <c>extra-index-url</c>, <c>[[tool.uv.index]]</c>
/// (<c>url</c>, <c>default</c>) and <c>prerelease</c>. Read so the image installs the script's
/// dependencies from where the script says, as <c>uv run</c> would.
/// </summary>
internal static class UvScriptIndexSettings
{
    // uv's prerelease strategies; only "allow" lets every requirement take a pre-release, which is
    // pip's --pre. The others allow pre-releases only where a requirement names one, as pip does anyway.
    private static readonly string[] PrereleaseWithoutPre = ["disallow", "if-necessary", "explicit", "if-necessary-or-explicit"];

    /// <summary>Reads the settings from the header's table; every wrong shape is a <paramref name="fail"/>.</summary>
    public static PipOptions Read(TomlTable header, Func<string, ImageDefinitionException> fail)
    {
        var tool = TomlText.OptionalTable(header, "tool", "", fail);
        var uv = tool is null ? null : TomlText.OptionalTable(tool, "uv", "tool.", fail);
        if (uv is null) return PipOptions.None;

        var indexUrl = TomlText.OptionalString(uv, "index-url", "tool.uv.", fail);
        var extra = new List<string>(TomlText.OptionalStringArray(uv, "extra-index-url", "tool.uv.", fail));
        foreach (var (url, isDefault) in Indexes(uv, fail))
        {
            if (!isDefault) extra.Add(url);
            else if (indexUrl is null) indexUrl = url;
            else throw fail("'tool.uv' names two default indexes ('index-url' or '[[tool.uv.index]]' with 'default = true'); keep one");
        }
        var prerelease = TomlText.OptionalString(uv, "prerelease", "tool.uv.", fail);
        if (prerelease is not null && prerelease != "allow" && !PrereleaseWithoutPre.Contains(prerelease))
        {
            throw fail($"'tool.uv.prerelease' must be one of allow, {string.Join(", ", PrereleaseWithoutPre)}, not '{prerelease}'");
        }
        var options = new PipOptions { IndexUrl = indexUrl, ExtraIndexUrls = extra.ToValueArray(), Pre = prerelease == "allow" };
        try
        {
            return options.Validate();
        }
        catch (ImageDefinitionException e)
        {
            throw fail($"its [tool.uv] index settings are not usable ({e.Message})");
        }
    }

    // [[tool.uv.index]] entries in declaration order: their url and whether they replace the default index.
    private static IEnumerable<(string Url, bool IsDefault)> Indexes(TomlTable uv, Func<string, ImageDefinitionException> fail)
    {
        if (!uv.TryGetValue("index", out var value)) yield break;
        if (value is not TomlTableArray entries) throw fail($"'tool.uv.index' must be an array of tables, not {TomlText.Describe(value)}");
        for (var i = 0; i < entries.Count; i++)
        {
            var url = TomlText.OptionalString(entries[i], "url", $"tool.uv.index[{i}].", fail)
                ?? throw fail($"'tool.uv.index[{i}]' has no 'url'");
            var isDefault = entries[i].TryGetValue("default", out var flag)
                && (flag as bool? ?? throw fail($"'tool.uv.index[{i}].default' must be a boolean, not {TomlText.Describe(flag)}"));
            yield return (url, isDefault);
        }
    }
}
