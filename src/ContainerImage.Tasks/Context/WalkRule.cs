namespace ContainerImage.Context;

/// <summary>
/// One ignore rule seen from a walked folder: how a path relative to the walked folder becomes the path relative
/// to the rule's .dockerignore folder, which is what the rule is matched against (as
/// <see cref="DockerIgnoreMatcher.IsExcluded"/> does with <c>Path.GetRelativePath</c> per file). Worked out once
/// per walk: the walked folder is the .dockerignore's folder, lies below it, holds it, or is unrelated to it.
/// </summary>
internal sealed class WalkRule
{
    private enum Placement { Below, Inside, Unrelated }

    private readonly Placement _placement;
    // Below: the walked folder's path from the rule's folder, with a final '/' ("" when they are the same).
    // Inside: the rule's folder's path from the walked folder (no final '/').
    private readonly string _offset;

    private WalkRule(DockerIgnorePattern pattern, Placement placement, string offset)
    {
        Pattern = pattern;
        _placement = placement;
        _offset = offset;
    }

    /// <summary>The pattern.</summary>
    public DockerIgnorePattern Pattern { get; }

    /// <summary>The rule <paramref name="pattern"/> of the .dockerignore in <paramref name="ruleRoot"/>, for a walk of <paramref name="walkRoot"/> (both absolute).</summary>
    public static WalkRule For(DockerIgnorePattern pattern, string ruleRoot, string walkRoot)
    {
        var down = Below(ruleRoot, walkRoot);
        if (down is not null) return new WalkRule(pattern, Placement.Below, down.Length == 0 ? "" : down + "/");
        var up = Below(walkRoot, ruleRoot);
        return up is { Length: > 0 } ? new WalkRule(pattern, Placement.Inside, up) : new WalkRule(pattern, Placement.Unrelated, "");
    }

    /// <summary>
    /// The rule-relative path of the walked entry at <paramref name="walkPath"/> ("" for the walked folder itself):
    /// "" for the rule's own folder, null when the entry is not below the rule's folder (the rule ignores it).
    /// </summary>
    public string? RulePath(string walkPath) => _placement switch
    {
        Placement.Below => walkPath.Length == 0 ? _offset.TrimEnd('/') : _offset.Length == 0 ? walkPath : _offset + walkPath,
        Placement.Inside => walkPath == _offset ? ""
            : walkPath.Length > _offset.Length && walkPath[_offset.Length] == '/' && walkPath.StartsWith(_offset, StringComparison.Ordinal)
                ? walkPath[(_offset.Length + 1)..]
                : null,
        _ => null,
    };

    /// <summary>True when the pattern matches the walked entry at <paramref name="walkPath"/> itself (not its folders).</summary>
    public bool MatchesEntry(string walkPath) => RulePath(walkPath) is { Length: > 0 } path && Pattern.Matches(path);

    /// <summary>
    /// False only when the pattern can match nothing below the walked folder at <paramref name="walkPath"/>, whose
    /// rule-relative path is <paramref name="rulePath"/> (<see cref="RulePath"/>): every path below it starts with
    /// <c>rulePath + "/"</c>, and every path the pattern matches starts with its literal prefix.
    /// </summary>
    public bool CanMatchBelow(string walkPath, string? rulePath)
    {
        if (rulePath is null)
        {
            // Not in the rule's folder: only a folder on the way down to it can still reach it.
            return _placement == Placement.Inside
                && (walkPath.Length == 0 || (_offset.Length > walkPath.Length && _offset[walkPath.Length] == '/' && _offset.StartsWith(walkPath, StringComparison.Ordinal)));
        }
        if (rulePath.Length == 0) return true;
        var below = rulePath + "/";
        var literal = Pattern.LiteralPrefix;
        if (Pattern.IsExact) return literal.StartsWith(below, StringComparison.Ordinal);
        return literal.StartsWith(below, StringComparison.Ordinal) || below.StartsWith(literal, StringComparison.Ordinal);
    }

    // The '/'-separated path of 'path' below 'root': "" when they are the same, null when it is not below it
    // (the same test as DockerIgnoreMatcher's per-file one).
    private static string? Below(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        if (relative == ".") return "";
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)) return null;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
