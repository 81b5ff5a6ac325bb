using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Python;

/// <summary>
/// pip requirements files and their includes, so the build context can carry every file pip will
/// open, at the same relative places. Rules (docs/python.md): includes are <c>-r</c>/<c>--requirement</c>
/// and <c>-c</c>/<c>--constraint</c> in every form pip accepts, resolved against the including file's
/// folder; lines are read as pip reads them (continuations, comments, quoting).
/// </summary>
public static partial class RequirementsFile
{
    /// <summary>
    /// The requirements file and every file it includes with <c>-r</c>/<c>-c</c> (and long forms),
    /// transitively: absolute paths, main file first, then includes in first-seen (depth-first) order,
    /// each once. Throws <see cref="DiagnosticCodes.FileNotFound"/> when the main file is missing, and
    /// <see cref="DiagnosticCodes.InvalidRequirementsFile"/> for an include that is missing, a folder, a
    /// URL, an absolute path, uses <c>${VAR}</c>, or closes a cycle.
    /// </summary>
    public static IReadOnlyList<string> CollectFiles(string requirementsPath)
    {
        var main = TomlText.FullPath(requirementsPath, "requirements file");
        if (!File.Exists(main)) throw new ImageDefinitionException(DiagnosticCodes.FileNotFound, "requirements file", main);
        var collected = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Visit(main, [], collected, seen);
        return collected;
    }

    private static void Visit(string file, List<string> chain, List<string> collected, HashSet<string> seen)
    {
        collected.Add(file);
        seen.Add(file);
        chain.Add(file);
        var folder = Path.GetDirectoryName(file)!;
        foreach (var include in IncludesOf(file))
        {
            ImageDefinitionException Fail(string why) =>
                new(DiagnosticCodes.InvalidRequirementsFile, file, include.Value, $"{why} (line {include.Line}, {include.Option})");

            var target = CheckInclude(include.Value, folder, Fail);
            if (chain.Contains(target, StringComparer.Ordinal))
            {
                var cycle = chain.SkipWhile(f => f != target).Append(target).Select(Path.GetFileName);
                throw Fail($"includes a file that is already being read, a cycle pip cannot resolve: {string.Join(" -> ", cycle)}");
            }
            if (seen.Contains(target)) continue;
            Visit(target, chain, collected, seen);
        }
        chain.RemoveAt(chain.Count - 1);
    }

    /// <summary>The includes of one file, in line order.</summary>
    private static IEnumerable<PipRequirementsSyntax.Include> IncludesOf(string file)
    {
        string content;
        try
        {
            content = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.PythonInputUnreadable, "requirements file", file, e.Message);
        }
        var includes = new List<PipRequirementsSyntax.Include>();
        foreach (var (line, text) in PipRequirementsSyntax.MeaningfulLines(content))
        {
            var found = PipRequirementsSyntax.IncludesOf(line, text, out var error)
                ?? throw new ImageDefinitionException(DiagnosticCodes.InvalidRequirementsFile, file, text, $"{error} (line {line})");
            includes.AddRange(found);
        }
        return includes;
    }

    /// <summary>The include's full path, or <paramref name="fail"/> when it cannot be reproduced in the image.</summary>
    private static string CheckInclude(string value, string folder, Func<string, ImageDefinitionException> fail)
    {
        if (string.IsNullOrWhiteSpace(value)) throw fail("is empty");
        if (Model.ValueRules.HasControlCharacter(value)) throw fail("contains a control character");
        if (value.Contains("${", StringComparison.Ordinal))
        {
            throw fail("uses an environment variable reference; pip would expand it from the build's environment, so the files cannot be known in advance: write the path literally");
        }
        if (Url().IsMatch(value)) throw fail("is a URL; download it into the project and include it by a relative path");
        if (Path.IsPathRooted(value) || value.StartsWith('/') || value.StartsWith('\\'))
        {
            throw fail("is an absolute path, which the image would not have; use a path relative to the including file");
        }
        var target = Path.GetFullPath(Path.Combine(folder, value));
        if (Directory.Exists(target)) throw fail("is a folder, not a file");
        if (!File.Exists(target)) throw fail($"does not exist (looked for '{target}')");
        return target;
    }

    /// <summary>A URL scheme of two or more characters (so a Windows drive letter is not one).</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial Regex Url();
}
