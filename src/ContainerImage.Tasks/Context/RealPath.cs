namespace ContainerImage.Context;

/// <summary>
/// Resolves symbolic links in a path, component by component (like POSIX <c>realpath</c>), portably.
/// A chain of more than <see cref="MaxLinks"/> links is reported as a loop, as the OS does (ELOOP).
/// </summary>
internal static class RealPath
{
    /// <summary>The most links followed while resolving one path (Linux's limit).</summary>
    public const int MaxLinks = 40;

    /// <summary>The path with every link resolved, or null when the links loop. A missing final target is returned as is.</summary>
    public static string? Resolve(string path)
    {
        var pending = new Stack<string>(SplitReversed(Path.GetFullPath(path)));
        var current = Path.GetPathRoot(Path.GetFullPath(path))!;
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, part);
            var target = LinkTargetOf(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) return null;
            // Re-resolve the target's own components: it may hold links, '.' and '..' itself.
            var absolute = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
            foreach (var p in SplitReversed(absolute)) pending.Push(p);
            current = Path.GetPathRoot(absolute)!;
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    public static bool IsInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var withSeparator = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return string.Equals(path, Path.TrimEndingDirectorySeparator(folder), comparison) || path.StartsWith(withSeparator, comparison);
    }

    private static string? LinkTargetOf(string path)
    {
        try
        {
            // Null for a missing path or a plain file/folder; set for any link, even a dangling one.
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // The path's components after its root, last first (for a stack).
    private static IEnumerable<string> SplitReversed(string absolute)
    {
        var root = Path.GetPathRoot(absolute)!;
        var parts = absolute[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Reverse(parts);
    }
}
