namespace ContainerImage.Context;

/// <summary>
/// What a <see cref="DockerIgnoreMatcher"/>'s rules say about the entries of one folder of a walk, computed once
/// per folder so that the walker matches each entry by its path relative to the walked folder (no absolute path,
/// no <c>Path.GetRelativePath</c> per file and rule). Exactly <see cref="DockerIgnoreMatcher.IsExcluded"/>'s
/// answer for every entry (DockerIgnoreWalkTests compares both on generated trees); what makes it cheap:
/// <list type="bullet">
/// <item>a rule that matches the folder (or one of its parents) matches everything below it: it is decided once,
/// here, instead of testing every parent of every file;</item>
/// <item>a rule whose <see cref="DockerIgnorePattern.LiteralPrefix"/> cannot start a path below the folder can
/// match nothing below it: it is never tried there (in a large tree almost every rule is out of play almost
/// everywhere, and then no entry is matched at all);</item>
/// <item>an excluded folder below which no '!' exception is in play holds nothing but excluded entries: the walk
/// skips it, which <see cref="DockerIgnoreMatcher.CanSkipDirectory"/> only allows when no exception exists at all.</item>
/// </list>
/// </summary>
internal sealed class IgnoreFolder
{
    private readonly WalkRule[] _rules;
    private readonly string _path;
    // Per rule: it matches this folder or one of its parents (so every entry below).
    private readonly bool[] _matched;
    // Per rule: not matched here, but could match some path below this folder.
    private readonly bool[] _open;
    private readonly bool _anyOpen;

    private IgnoreFolder(WalkRule[] rules, string path, bool[] matched, bool[] open)
    {
        _rules = rules;
        _path = path;
        _matched = matched;
        _open = open;
        _anyOpen = Array.IndexOf(open, true) >= 0;
        IsExcluded = Decide(matched, null);
        var openException = false;
        for (var i = 0; i < rules.Length; i++) openException |= open[i] && rules[i].Pattern.IsException;
        // Only an exception can flip a descendant of an excluded folder back to included (see the class summary).
        SkipsEverything = IsExcluded && !openException;
    }

    /// <summary>True when the folder itself is excluded (what <see cref="DockerIgnoreMatcher.IsExcluded"/> says of it).</summary>
    public bool IsExcluded { get; }

    /// <summary>True when the folder and everything below it are excluded: the walk need not enter it.</summary>
    public bool SkipsEverything { get; }

    /// <summary>The state at the walked folder <paramref name="walkRoot"/> (absolute) for <paramref name="rules"/>.</summary>
    public static IgnoreFolder Root(IReadOnlyList<(DockerIgnorePattern Pattern, string Root)> rules, string walkRoot)
    {
        var walkRules = rules.Select(r => WalkRule.For(r.Pattern, r.Root, walkRoot)).ToArray();
        var matched = new bool[walkRules.Length];
        var open = new bool[walkRules.Length];
        for (var i = 0; i < walkRules.Length; i++)
        {
            var rule = walkRules[i];
            var folder = rule.RulePath("");
            // The walked folder seen from a .dockerignore further up: its own path's folders may match already.
            matched[i] = folder is { Length: > 0 } && DockerIgnoreMatcher.MatchesOrParentMatches(rule.Pattern, folder);
            open[i] = !matched[i] && rule.CanMatchBelow("", folder);
        }
        return new IgnoreFolder(walkRules, "", matched, open);
    }

    /// <summary>The state of the subfolder at <paramref name="walkPath"/> ('/'-separated, relative to the walked folder), an entry of this folder.</summary>
    public IgnoreFolder Child(string walkPath)
    {
        if (!_anyOpen) return WithPath(walkPath);
        var matched = new bool[_rules.Length];
        var open = new bool[_rules.Length];
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_matched[i])
            {
                matched[i] = true;
                continue;
            }
            if (!_open[i]) continue;
            var rule = _rules[i];
            var folder = rule.RulePath(walkPath);
            matched[i] = folder is { Length: > 0 } && rule.Pattern.Matches(folder);
            open[i] = !matched[i] && rule.CanMatchBelow(walkPath, folder);
        }
        return new IgnoreFolder(_rules, walkPath, matched, open);
    }

    /// <summary>True when the entry at <paramref name="walkPath"/> (an entry of this folder) is excluded.</summary>
    public bool Excludes(string walkPath) => _anyOpen ? Decide(_matched, walkPath) : IsExcluded;

    // Nothing is open: every folder below has this one's answers; only the path differs (kept for CanMatchBelow's sake).
    private IgnoreFolder WithPath(string walkPath) => new(_rules, walkPath, _matched, _open);

    // The last rule that matches decides (Docker's rule), with its shortcut: an exclusion cannot change an
    // excluded path, an exception cannot change an included one. entry null: the folder itself.
    private bool Decide(bool[] matched, string? entry)
    {
        var excluded = false;
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (rule.Pattern.IsException != excluded) continue;
            if (matched[i] || (entry is not null && _open[i] && rule.MatchesEntry(entry))) excluded = !rule.Pattern.IsException;
        }
        return excluded;
    }

    /// <inheritdoc/>
    public override string ToString() => (_path.Length == 0 ? "." : _path) + (SkipsEverything ? " (skipped)" : IsExcluded ? " (excluded)" : "");
}
