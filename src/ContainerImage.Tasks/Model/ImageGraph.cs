namespace ContainerImage.Model;

/// <summary>
/// The build order of images that derive from each other (<see cref="ParentImageBase"/>).
/// </summary>
/// <remarks>
/// A cycle cannot be built from the model: an <see cref="Image"/> is immutable and names its parent by
/// object reference, so a parent always exists before its child and can never point back to it. Project
/// files, which name parents by text, must detect cycles themselves (CIMG5009) before making images.
/// </remarks>
public static class ImageGraph
{
    /// <summary>
    /// <paramref name="images"/> and every parent they reach, each once (value equality), parents
    /// before their children; otherwise in first-seen order, so the result is deterministic.
    /// </summary>
    public static IReadOnlyList<Image> Order(IEnumerable<Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var ordered = new List<Image>();
        var seen = new HashSet<Image>();
        foreach (var image in images)
        {
            ArgumentNullException.ThrowIfNull(image, nameof(images));
            Visit(image, ordered, seen);
        }
        return ordered;
    }

    /// <summary>The parent chain of <paramref name="image"/>, nearest parent first (empty when it has none).</summary>
    public static IReadOnlyList<Image> Ancestors(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var chain = new List<Image>();
        for (var current = image; current.Base is ParentImageBase parent; current = parent.Parent) chain.Add(parent.Parent);
        return chain;
    }

    private static void Visit(Image image, List<Image> ordered, HashSet<Image> seen)
    {
        if (seen.Contains(image)) return;
        // Iterative over the chain (a long chain must not exhaust the stack): oldest ancestor first.
        var chain = Ancestors(image).Reverse().Append(image);
        foreach (var link in chain)
        {
            if (seen.Add(link)) ordered.Add(link);
        }
    }
}
