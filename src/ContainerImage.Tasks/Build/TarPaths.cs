namespace ContainerImage.Build;

/// <summary>Paths inside a layer's tar, compared the way an extractor resolves them: relative to the root, no trailing slash.</summary>
internal static class TarPaths
{
    /// <summary>
    /// <c>./home/app/</c>, <c>/home/app</c> and <c>home/app/</c> all become <c>home/app</c>; <c>.</c>, <c>./</c>, <c>/</c>
    /// and <c>""</c> (the root) become <c>""</c>.
    /// </summary>
    public static string Normalize(string path)
    {
        var result = path;
        while (true)
        {
            var before = result;
            if (result.StartsWith("./", StringComparison.Ordinal)) result = result[2..];
            result = result.TrimStart('/');
            if (result == before) break;
        }
        result = result.TrimEnd('/');
        return result == "." ? "" : result;
    }

    /// <summary>The folder <paramref name="destination"/> and every folder above it, the root (<c>""</c>) included, normalized.</summary>
    public static IReadOnlySet<string> ChainOf(string destination)
    {
        var chain = new HashSet<string>(StringComparer.Ordinal) { "" };
        var folder = Normalize(destination);
        while (folder.Length > 0)
        {
            chain.Add(folder);
            var slash = folder.LastIndexOf('/');
            folder = slash < 0 ? "" : folder[..slash];
        }
        return chain;
    }

    /// <summary>True when <paramref name="path"/> is strictly inside the folder <paramref name="destination"/> (not the folder itself).</summary>
    public static bool IsBelow(string path, string destination)
    {
        var normalized = Normalize(path);
        var folder = Normalize(destination);
        return folder.Length == 0
            ? normalized.Length > 0
            : normalized.Length > folder.Length + 1 && normalized.StartsWith(folder + "/", StringComparison.Ordinal);
    }
}
