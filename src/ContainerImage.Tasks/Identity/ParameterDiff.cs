using System.Text.Json;

namespace ContainerImage.Identity;

/// <summary>
/// Describes how one layer's canonical <c>parameters</c> object changed, member by member
/// (<c>packages git -&gt; git, curl</c>, <c>destination /a -&gt; /b</c>). Members whose values could be
/// sensitive are reported by name only.
/// </summary>
internal static class ParameterDiff
{
    // Values never printed: a URL or an argument may carry a token; variables and labels are named, not shown.
    private static readonly HashSet<string> ValueHidden = new(StringComparer.Ordinal) { "indexUrl", "extraIndexUrls", "extraArgs", "secrets" };

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["lockedRequirements"] = "locked requirements",
        ["indexUrl"] = "index URL",
        ["extraIndexUrls"] = "extra index URLs",
        ["extraArgs"] = "extra installer arguments",
        ["secrets"] = "secret mounts",
        ["entry"] = "requirements file",
        ["intervalMs"] = "interval (ms)",
        ["timeoutMs"] = "timeout (ms)",
        ["startPeriodMs"] = "start period (ms)",
    };

    public static List<string> Describe(JsonElement? now, JsonElement? before)
    {
        var result = new List<string>();
        if (now is not { ValueKind: JsonValueKind.Object } n || before is not { ValueKind: JsonValueKind.Object } b) return result;
        var names = n.EnumerateObject().Select(p => p.Name).Concat(b.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var a = b.TryGetProperty(name, out var x) ? x : default;
            var c = n.TryGetProperty(name, out var y) ? y : default;
            if (Raw(a) == Raw(c)) continue;
            result.AddRange(Member(name, c, a));
        }
        return result;
    }

    private static IEnumerable<string> Member(string name, JsonElement now, JsonElement before)
    {
        var label = Labels.GetValueOrDefault(name, name);
        if (name == "variables") return NamedEntries(now, before, "name", "environment variable");
        if (name == "labels") return NamedEntries(now, before, "key", "label");
        if (ValueHidden.Contains(name)) return [label + " changed"];
        if (now.ValueKind == JsonValueKind.Object || before.ValueKind == JsonValueKind.Object) return Describe(now, before);
        if (IsStringArray(now) && IsStringArray(before))
        {
            return [label + " " + IdentityDiff.ListChange(Strings(now), Strings(before))];
        }
        return [$"{label} {Scalar(before)} -> {Scalar(now)}"];
    }

    // Entries of an array of objects identified by one member: added, removed, or changed by name only.
    private static IEnumerable<string> NamedEntries(JsonElement now, JsonElement before, string keyMember, string what)
    {
        static List<(string Key, string Raw)> Entries(JsonElement array, string keyMember) => array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => (e.TryGetProperty(keyMember, out var k) ? k.GetString() ?? "" : "", e.GetRawText())).ToList()
            : [];
        var a = Entries(before, keyMember);
        var b = Entries(now, keyMember);
        var changes = new List<string>();
        foreach (var (key, raw) in b)
        {
            var was = a.FindIndex(e => e.Key == key);
            if (was < 0) changes.Add($"{what} {key} added");
            else if (a[was].Raw != raw) changes.Add($"{what} {key} changed");
        }
        changes.AddRange(a.Where(e => b.All(n => n.Key != e.Key)).Select(e => $"{what} {e.Key} removed"));
        if (changes.Count == 0) changes.Add($"{what}s reordered");
        return changes;
    }

    // The encoding is canonical (fixed member order, no whitespace), so equal values have equal text.
    private static string? Raw(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? null : element.GetRawText();

    private static bool IsStringArray(JsonElement element)
        => element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String);

    private static List<string> Strings(JsonElement element) => element.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static string Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Undefined or JsonValueKind.Null => "(none)",
        _ => element.GetRawText(),
    };
}
