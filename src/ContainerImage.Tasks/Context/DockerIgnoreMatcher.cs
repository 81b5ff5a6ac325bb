namespace ContainerImage.Context;

/// <summary>
/// Decides which files the .dockerignore rules of an image exclude. Several files may contribute: their
/// patterns are concatenated in order and the last pattern that matches decides (Docker's rule), each
/// pattern being matched against the path relative to its own file's folder. A file outside a
/// .dockerignore's folder is untouched by that file's patterns. A pattern that matches a folder
/// excludes everything inside it, unless a later '!' exception matches the file (or one of its folders).
/// </summary>
public sealed class DockerIgnoreMatcher
{
    private readonly (DockerIgnorePattern Pattern, string Root)[] _rules;

    /// <summary>A matcher over the given files' rules, in order.</summary>
    public DockerIgnoreMatcher(IEnumerable<DockerIgnoreFile> files)
    {
        _rules = files.SelectMany(f => f.Patterns.Select(p => (p, f.Root))).ToArray();
        HasExceptions = _rules.Any(r => r.Pattern.IsException);
    }

    /// <summary>A matcher that excludes nothing.</summary>
    public static DockerIgnoreMatcher None { get; } = new([]);

    /// <summary>True when no rule exists.</summary>
    public bool IsEmpty => _rules.Length == 0;

    /// <summary>True when some rule is a '!' exception (so an excluded folder may still hold included files).</summary>
    public bool HasExceptions { get; }

    /// <summary>True when the file or folder at <paramref name="absolutePath"/> is excluded.</summary>
    public bool IsExcluded(string absolutePath)
    {
        var matched = false;
        foreach (var (pattern, root) in _rules)
        {
            // Docker's shortcut, which is also its semantics: an exclusion cannot change an
            // already-excluded path, an exception cannot change an included one.
            if (pattern.IsException != matched) continue;
            var relative = RelativeTo(root, absolutePath);
            if (relative is null) continue;
            if (MatchesOrParentMatches(pattern, relative)) matched = !pattern.IsException;
        }
        return matched;
    }

    /// <summary>
    /// The rules' answers for the entries of the walked folder <paramref name="walkRoot"/> (absolute), matched by
    /// paths relative to it: what <see cref="FolderWalker"/> uses instead of <see cref="IsExcluded"/> per file.
    /// </summary>
    internal IgnoreFolder ForWalk(string walkRoot) => IgnoreFolder.Root(_rules, walkRoot);

    /// <summary>
    /// True when a whole folder can be skipped: it is excluded and no '!' exception could re-include
    /// anything inside it (any exception at all keeps the walk going, which is always correct).
    /// </summary>
    public bool CanSkipDirectory(string absolutePath) => !HasExceptions && IsExcluded(absolutePath);

    /// <summary>patternmatcher's MatchesOrParentMatches for one pattern: the path or one of its parent folders.</summary>
    internal static bool MatchesOrParentMatches(DockerIgnorePattern pattern, string relativePath)
    {
        if (pattern.Matches(relativePath)) return true;
        var parent = GoPath.Dir(relativePath);
        if (parent == ".") return false;
        var end = -1;
        while (true)
        {
            end = parent.IndexOf('/', end + 1);
            if (pattern.Matches(end < 0 ? parent : parent[..end])) return true;
            if (end < 0) return false;
        }
    }

    // The '/'-separated path of 'path' below 'root', or null when it is not below it.
    private static string? RelativeTo(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        if (relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || Path.IsPathRooted(relative))
        {
            return null;
        }
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
