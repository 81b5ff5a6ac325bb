namespace ContainerImage.Context;

/// <summary>
/// Go's <c>path/filepath.Clean</c> for '/'-separated paths, which Docker applies to every
/// .dockerignore pattern before matching; reproduced exactly so patterns mean what they mean to Docker.
/// </summary>
internal static class GoPath
{
    /// <summary>The shortest equivalent path: no repeated '/', no '.' elements, '..' resolved lexically.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0) return ".";
        var rooted = path[0] == '/';
        var kept = new List<string>();
        foreach (var element in path.Split('/'))
        {
            if (element.Length == 0 || element == ".") continue;
            if (element == "..")
            {
                // '..' cancels a preceding real element; at the root it vanishes; in a relative
                // path with nothing to cancel it stays (Go keeps leading '..' elements).
                if (kept.Count > 0 && kept[^1] != "..") kept.RemoveAt(kept.Count - 1);
                else if (!rooted) kept.Add("..");
                continue;
            }
            kept.Add(element);
        }
        var joined = string.Join('/', kept);
        if (rooted) return "/" + joined;
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's <c>filepath.Dir</c> for a cleaned relative path: "." when it has no '/'.</summary>
    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "." : Clean(path[..slash]);
    }
}
