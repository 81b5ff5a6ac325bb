using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Python;

/// <summary>
/// A uv script's PEP 723 metadata: the <c># /// script</c> block's <c>requires-python</c>, <c>dependencies</c>
/// and the package-index settings of its <c>[tool.uv]</c> table.
/// </summary>
/// <param name="RequiresPython">The <c>requires-python</c> specifier, when present.</param>
/// <param name="Dependencies">The <c>dependencies</c>, in order.</param>
public sealed record UvScriptHeader(string? RequiresPython, ValueArray<string> Dependencies)
{
    /// <summary>
    /// Where the dependencies come from: <c>[tool.uv]</c> <c>index-url</c>, <c>extra-index-url</c>,
    /// <c>[[tool.uv.index]]</c> entries (<c>default = true</c> replaces the default index) and
    /// <c>prerelease = "allow"</c> (pip's <c>--pre</c>). <see cref="PipOptions.None"/> when the header has none.
    /// </summary>
    public PipOptions IndexOptions { get; init; } = PipOptions.None;

    /// <summary>The script the header was read from (for messages); null when built in code.</summary>
    public string? ScriptPath { get; init; }

    /// <summary>
    /// Reads the <c># /// script</c> block of <paramref name="path"/> (PEP 723). Throws
    /// <see cref="DiagnosticCodes.FileNotFound"/> for a missing script, <see cref="DiagnosticCodes.InvalidUvScript"/>
    /// when there is no block, an unclosed one, two of them, invalid TOML, a value of the wrong type or unusable
    /// <c>[tool.uv]</c> index settings,
    /// and <see cref="DiagnosticCodes.InvalidRequiresPython"/> for a specifier that is not PEP 440.
    /// </summary>
    public static UvScriptHeader Read(string path)
    {
        var fullPath = TomlText.FullPath(path, "uv script");
        var text = TomlText.ReadFile(fullPath, "uv script");
        ImageDefinitionException Fail(string reason) => new(DiagnosticCodes.InvalidUvScript, fullPath, reason);

        var scan = Pep723Block.Scan(text);
        var scripts = scan.Blocks.Where(b => b.Type == "script").ToList();
        var unclosed = scan.Unclosed.Where(u => u.Type == "script").ToList();
        if (unclosed.Count > 0)
        {
            throw Fail($"the block opened on line {unclosed[0].Line} is never closed with a '# ///' line (every line up to it must be '#' or start with '# ')");
        }
        if (scripts.Count == 0) throw Fail("there is no '# /// script' block; add one that declares 'dependencies' (PEP 723)");
        if (scripts.Count > 1)
        {
            throw Fail($"there are {scripts.Count} '# /// script' blocks (starting on lines {string.Join(", ", scripts.Select(b => b.FirstContentLine - 1))}); PEP 723 allows one");
        }
        var block = scripts[0];
        var table = TomlText.Parse(block.Content, block.FirstContentLine, Fail);
        var requiresPython = TomlText.OptionalString(table, "requires-python", "", Fail);
        var dependencies = TomlText.OptionalRequirements(table, "dependencies", "", Fail);
        if (!string.IsNullOrWhiteSpace(requiresPython))
        {
            // Checked now, so a bad specifier is reported when the script is read.
            PythonSpecifierSet.Parse(requiresPython, fullPath);
        }
        var indexOptions = UvScriptIndexSettings.Read(table, Fail);
        return new UvScriptHeader(requiresPython, dependencies.ToValueArray()) { ScriptPath = fullPath, IndexOptions = indexOptions };
    }

    /// <summary>
    /// The Python version chosen for <see cref="RequiresPython"/> by <see cref="PythonVersionResolver.Resolve"/>:
    /// the default when it satisfies (or there is no specifier), else the highest supported version that does.
    /// </summary>
    public PythonVersion ResolvePythonVersion() => PythonVersionResolver.Resolve(RequiresPython, ScriptPath ?? "the uv script header");
}
