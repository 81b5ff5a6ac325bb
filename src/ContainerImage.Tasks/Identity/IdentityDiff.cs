using System.Text.Json;

namespace ContainerImage.Identity;

/// <summary>
/// Explains why two identities differ, from what each recorded: the canonical JSON (base, platforms,
/// installer, each layer's parameters) and the per-layer file manifests. Values that could be sensitive
/// (environment variable and label values, index URLs, extra installer arguments, secret mounts) are never
/// printed: only that they changed, and the names involved.
/// </summary>
internal static class IdentityDiff
{
    public static IReadOnlyList<ImageChange> Explain(ImageIdentity now, ImageIdentity before)
    {
        if (now.Identifier == before.Identifier) return [];
        var changes = new List<ImageChange>();
        using var nowJson = Parse(now.CanonicalJson);
        using var beforeJson = Parse(before.CanonicalJson);
        var nowRoot = nowJson?.RootElement;
        var beforeRoot = beforeJson?.RootElement;
        if (nowRoot is { } n && beforeRoot is { } b)
        {
            changes.AddRange(BaseChanges(Member(n, "base"), Member(b, "base")));
            changes.AddRange(PlatformChanges(Member(n, "platforms"), Member(b, "platforms")));
            changes.AddRange(InstallerChanges(Member(n, "installer"), Member(b, "installer")));
        }
        changes.AddRange(LayerChanges(now, before, LayerParameters(nowRoot), LayerParameters(beforeRoot)));
        if (changes.Count == 0)
        {
            changes.Add(new ImageChange(ImageChange.DockerfileKind, null,
                "the generated Dockerfile changed (another ContainerImage.Sdk version, or an identity file from an older one)"));
        }
        return changes;
    }

    private static JsonDocument? Parse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }

    private static JsonElement? Member(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? element, string name)
        => element is { } e && Member(e, name) is { } v ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        } : null;

    private static string Show(string? value) => value ?? "(none)";

    private static IEnumerable<ImageChange> BaseChanges(JsonElement? now, JsonElement? before)
    {
        var kind = Text(now, "kind");
        if (kind != Text(before, "kind"))
        {
            yield return new(ImageChange.BaseKind, null, $"base {DescribeBase(before)} -> {DescribeBase(now)}");
            yield break;
        }
        var pythonNow = Text(now, "python");
        var pythonBefore = Text(before, "python");
        if (pythonNow != pythonBefore) yield return new(ImageChange.PythonKind, null, $"python version {Show(pythonBefore)} -> {Show(pythonNow)}");

        var imageNow = Text(now, "image");
        var imageBefore = Text(before, "image");
        // The default Debian base names the Python version; that move is already explained above.
        var explainedByPython = pythonNow is not null && pythonBefore is not null && imageBefore?.Replace(pythonBefore, pythonNow) == imageNow;
        if (imageNow != imageBefore && !explainedByPython) yield return ImageMove(imageBefore, imageNow);

        foreach (var (member, label) in new[] { ("coreLibrary", "core library"), ("user", "user"), ("uid", "user id"), ("identifier", "parent image identifier"), ("dockerfile", "Dockerfile") })
        {
            var a = Text(before, member);
            var b = Text(now, member);
            if (a != b) yield return new(ImageChange.BaseKind, null, $"{label} {Show(a)} -> {Show(b)}");
        }
        if (Text(now, "dockerfileSha256") != Text(before, "dockerfileSha256"))
        {
            yield return new(ImageChange.BaseKind, null, $"Dockerfile {Text(now, "dockerfile")} changed");
        }
        if (ListChange(Strings(now, "aptPackages"), Strings(before, "aptPackages")) is { } apt)
        {
            yield return new(ImageChange.BaseKind, null, "base apt packages " + apt);
        }
    }

    private static string DescribeBase(JsonElement? element) => Text(element, "kind") switch
    {
        "Debian" => $"Debian {Text(element, "image")}",
        "Image" => $"image {Text(element, "image")}",
        "Parent" => "parent image",
        "Dockerfile" => $"Dockerfile {Text(element, "dockerfile")}",
        var other => other ?? "(unknown)",
    };

    private static ImageChange ImageMove(string? before, string? now)
    {
        var at = before?.IndexOf('@') ?? -1;
        var atNow = now?.IndexOf('@') ?? -1;
        if (at > 0 && atNow > 0 && before![..at] == now![..atNow])
        {
            return new(ImageChange.BaseKind, null, $"base image digest moved ({before[..at]}: {ShortDigest(before[(at + 1)..])} -> {ShortDigest(now[(atNow + 1)..])})");
        }
        return new(ImageChange.BaseKind, null, $"base image {Show(before)} -> {Show(now)}");
    }

    private static string ShortDigest(string digest)
    {
        var colon = digest.IndexOf(':');
        return colon >= 0 && digest.Length > colon + 13 ? digest[..(colon + 13)] : digest;
    }

    private static IEnumerable<ImageChange> PlatformChanges(JsonElement? now, JsonElement? before)
    {
        var a = Strings(before);
        var b = Strings(now);
        if (!a.SequenceEqual(b)) yield return new(ImageChange.PlatformsKind, null, $"platforms changed: {string.Join(", ", a)} -> {string.Join(", ", b)}");
    }

    private static IEnumerable<ImageChange> InstallerChanges(JsonElement? now, JsonElement? before)
    {
        if (Text(now, "mode") != Text(before, "mode"))
        {
            yield return new(ImageChange.InstallerKind, null, $"python installer {Show(Text(before, "mode"))} -> {Show(Text(now, "mode"))}");
        }
        else if (Text(now, "uvImage") != Text(before, "uvImage"))
        {
            yield return new(ImageChange.InstallerKind, null, $"uv image {Show(Text(before, "uvImage"))} -> {Show(Text(now, "uvImage"))}");
        }
    }

    private static List<string> Strings(JsonElement? element, string? member = null)
    {
        var array = member is null ? element : element is { } e ? Member(e, member) : null;
        return array is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
            : [];
    }

    /// <summary>"a -> a, b" for short lists, else "added b; removed c"; null when equal.</summary>
    internal static string? ListChange(IReadOnlyList<string> now, IReadOnlyList<string> before)
    {
        if (now.SequenceEqual(before)) return null;
        var a = string.Join(", ", before);
        var b = string.Join(", ", now);
        if (a.Length <= 60 && b.Length <= 60) return $"{(a.Length == 0 ? "(none)" : a)} -> {(b.Length == 0 ? "(none)" : b)}";
        var added = now.Except(before, StringComparer.Ordinal).ToList();
        var removed = before.Except(now, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0) parts.Add("added " + Shorten(string.Join(", ", added)));
        if (removed.Count > 0) parts.Add("removed " + Shorten(string.Join(", ", removed)));
        return parts.Count == 0 ? "reordered" : string.Join("; ", parts);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static List<JsonElement?> LayerParameters(JsonElement? root)
    {
        var layers = root is { } r ? Member(r, "layers") : null;
        return layers is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Select(l => Member(l, "parameters")).ToList()
            : [];
    }

    private static IEnumerable<ImageChange> LayerChanges(ImageIdentity now, ImageIdentity before,
        List<JsonElement?> nowParameters, List<JsonElement?> beforeParameters)
    {
        JsonElement? ParametersOf(List<JsonElement?> all, LayerManifest layer)
            => layer.LayerIndex >= 0 && layer.LayerIndex < all.Count ? all[layer.LayerIndex] : null;

        var changes = new List<ImageChange>();
        foreach (var step in LayerAlignment.Align(now.Layers, before.Layers))
        {
            if (step.Now is null)
            {
                changes.Add(new(ImageChange.LayerRemovedKind, step.Before!.LayerIndex, $"layer {step.Before.LayerIndex} ({step.Before.Description}) removed"));
                continue;
            }
            if (step.Before is null)
            {
                changes.Add(new(ImageChange.LayerAddedKind, step.Now.LayerIndex, $"layer {step.Now.LayerIndex} ({step.Now.Description}) added"));
                continue;
            }
            // A Dockerfile image's context (index -1) is no layer the user declared: name it by its Dockerfile.
            var label = step.Now.LayerIndex < 0 ? step.Now.Description : $"layer {step.Now.LayerIndex} ({step.Now.Description})";
            if (step.Moved)
            {
                changes.Add(new(ImageChange.LayerMovedKind, step.Now.LayerIndex, $"{label} moved from layer {step.Before.LayerIndex}"));
            }
            if (step.Now.ParameterDigest != step.Before.ParameterDigest || step.Now.Kind != step.Before.Kind)
            {
                var details = ParameterDiff.Describe(ParametersOf(nowParameters, step.Now), ParametersOf(beforeParameters, step.Before));
                if (details.Count == 0) details = ["its parameters changed"];
                changes.AddRange(details.Select(d => new ImageChange(ImageChange.LayerParametersKind, step.Now.LayerIndex, $"{label}: {d}")));
            }
            changes.AddRange(FileChanges(step.Now, step.Before, label));
        }
        return changes;
    }

    private static IEnumerable<ImageChange> FileChanges(LayerManifest now, LayerManifest before, string label)
    {
        var old = before.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var file in now.Files)
        {
            if (!old.Remove(file.Path, out var was)) yield return new(ImageChange.FileAddedKind, now.LayerIndex, $"{label}: {file.Path} added");
            else if (was.Sha256 != file.Sha256) yield return new(ImageChange.FileChangedKind, now.LayerIndex, $"{label}: {file.Path} changed");
            else if (was.Executable != file.Executable) yield return new(ImageChange.FileModeKind, now.LayerIndex, $"{label}: {file.Path} execute bit changed");
        }
        foreach (var path in old.Keys.Order(StringComparer.Ordinal)) yield return new(ImageChange.FileRemovedKind, now.LayerIndex, $"{label}: {path} removed");
    }
}
