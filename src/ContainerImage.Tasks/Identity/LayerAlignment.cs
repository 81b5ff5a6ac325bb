namespace ContainerImage.Identity;

/// <summary>
/// Pairs the layers of two identities so a change reads as the user made it: a layer inserted at the top
/// is "added" (not "every layer changed"), an edited package list is that layer's parameters changing,
/// and a pure reordering is "moved".
/// </summary>
internal static class LayerAlignment
{
    /// <summary>A layer now and the one it was (either null when added or removed).</summary>
    public sealed record Step(LayerManifest? Now, LayerManifest? Before, bool Moved);

    public static List<Step> Align(IReadOnlyList<LayerManifest> now, IReadOnlyList<LayerManifest> before)
    {
        var nowKeys = now.Select(Key).ToList();
        var beforeKeys = before.Select(Key).ToList();
        if (nowKeys.Count == beforeKeys.Count && !nowKeys.SequenceEqual(beforeKeys)
            && nowKeys.Order(StringComparer.Ordinal).SequenceEqual(beforeKeys.Order(StringComparer.Ordinal)))
        {
            return Reordered(now, before);
        }
        return ByCommonSubsequence(now, before, nowKeys, beforeKeys);
    }

    // Same layers in another order: the n-th occurrence of a layer pairs with its n-th occurrence before.
    private static List<Step> Reordered(IReadOnlyList<LayerManifest> now, IReadOnlyList<LayerManifest> before)
    {
        var unused = before.ToList();
        var steps = new List<Step>();
        foreach (var layer in now)
        {
            var was = unused.First(b => Key(b) == Key(layer));
            unused.Remove(was);
            steps.Add(new Step(layer, was, Moved: was.LayerIndex != layer.LayerIndex));
        }
        return steps;
    }

    private static List<Step> ByCommonSubsequence(IReadOnlyList<LayerManifest> now, IReadOnlyList<LayerManifest> before,
        List<string> nowKeys, List<string> beforeKeys)
    {
        // Longest common subsequence of identical layers; what lies between two matches is a gap.
        var lengths = new int[now.Count + 1, before.Count + 1];
        for (var i = now.Count - 1; i >= 0; i--)
        {
            for (var j = before.Count - 1; j >= 0; j--)
            {
                lengths[i, j] = nowKeys[i] == beforeKeys[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }
        var steps = new List<Step>();
        var gapNow = new List<LayerManifest>();
        var gapBefore = new List<LayerManifest>();
        int x = 0, y = 0;
        while (x < now.Count || y < before.Count)
        {
            if (x < now.Count && y < before.Count && nowKeys[x] == beforeKeys[y])
            {
                CloseGap(steps, gapNow, gapBefore);
                steps.Add(new Step(now[x++], before[y++], Moved: false));
            }
            else if (y < before.Count && (x == now.Count || lengths[x, y + 1] >= lengths[x + 1, y])) gapBefore.Add(before[y++]);
            else gapNow.Add(now[x++]);
        }
        CloseGap(steps, gapNow, gapBefore);
        return steps;
    }

    // Within a gap, a layer of the same kind at the same place is the same layer edited.
    private static void CloseGap(List<Step> steps, List<LayerManifest> gapNow, List<LayerManifest> gapBefore)
    {
        var unused = gapBefore.ToList();
        var paired = new List<Step>();
        foreach (var layer in gapNow)
        {
            var was = unused.FirstOrDefault(b => b.Kind == layer.Kind);
            if (was is not null) unused.Remove(was);
            paired.Add(new Step(layer, was, Moved: false));
        }
        steps.AddRange(unused.Select(b => new Step(null, b, Moved: false)));
        steps.AddRange(paired);
        gapNow.Clear();
        gapBefore.Clear();
    }

    private static string Key(LayerManifest layer) => layer.Kind + "\n" + layer.Description;
}
