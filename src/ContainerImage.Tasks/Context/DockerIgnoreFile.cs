using ContainerImage.Diagnostics;

namespace ContainerImage.Context;

/// <summary>
/// The rules of one .dockerignore file. Its <see cref="Root"/> is the folder that holds the file: every
/// pattern is matched against a path relative to that folder, exactly as Docker matches the patterns of
/// <c>&lt;context&gt;/.dockerignore</c> against paths relative to the context.
/// </summary>
/// <param name="Root">The folder patterns are relative to (absolute).</param>
/// <param name="Patterns">The compiled patterns, in file order.</param>
public sealed record DockerIgnoreFile(string Root, IReadOnlyList<DockerIgnorePattern> Patterns)
{
    /// <summary>
    /// Reads <paramref name="path"/> with Docker's rules (docker/cli ignorefile): a UTF-8 BOM is dropped,
    /// lines starting with '#' are comments, lines are trimmed, empty ones skipped, '!' marks an exception,
    /// each pattern is cleaned like Go's <c>filepath.Clean</c> and a leading '/' is dropped.
    /// Throws CIMG4001 when missing, CIMG2029 for an invalid pattern (naming its line).
    /// </summary>
    public static DockerIgnoreFile Read(string path, int? layerIndex = null) => ReadFor(path, Path.GetDirectoryName(Path.GetFullPath(path))!, layerIndex);

    /// <summary>Reads <paramref name="path"/> with its patterns relative to <paramref name="root"/> (a Dockerfile build's context); errors carry <paramref name="layerIndex"/>.</summary>
    public static DockerIgnoreFile ReadFor(string path, string root, int? layerIndex = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw LayerError.At(layerIndex, DiagnosticCodes.FileNotFound, ".dockerignore file", full);
        return Parse(root, File.ReadAllText(full), full, layerIndex);
    }

    /// <summary>Parses .dockerignore text whose patterns are relative to <paramref name="root"/>; <paramref name="sourceName"/> names it in errors, which carry <paramref name="layerIndex"/>.</summary>
    public static DockerIgnoreFile Parse(string root, string text, string sourceName = ".dockerignore", int? layerIndex = null)
    {
        var patterns = new List<DockerIgnorePattern>();
        var lines = text.Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            if (number == 1 && line.StartsWith('\uFEFF')) line = line[1..];
            // Comments are recognised before trimming, as Docker does: " # x" is a pattern.
            if (line.StartsWith('#')) continue;
            var normalized = NormalizeLine(line);
            if (normalized is null) continue;
            if (!DockerIgnorePattern.TryCreate(normalized, out var pattern, out var error))
            {
                throw LayerError.At(layerIndex, DiagnosticCodes.InvalidDockerIgnore, sourceName, number, line.Trim() + "' (" + error + ")");
            }
            if (pattern is not null) patterns.Add(pattern);
        }
        return new DockerIgnoreFile(Path.GetFullPath(root), patterns);
    }

    // docker/cli's ignorefile.ReadAll for one line: trim, split off '!', clean, drop a leading '/'.
    private static string? NormalizeLine(string line)
    {
        var pattern = line.Trim();
        if (pattern.Length == 0) return null;
        var invert = pattern[0] == '!';
        if (invert) pattern = pattern[1..].Trim();
        if (pattern.Length > 0)
        {
            pattern = GoPath.Clean(pattern);
            if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
        }
        return invert ? "!" + pattern : pattern;
    }
}
