using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tasks;

// ImageLayer items: grouping consecutive items into layers, and each Kind's layer with its metadata.
public static partial class ImageItemMapper
{
    // Kinds whose consecutive items (same Kind, same shared metadata) form one layer; the metadata
    // named here is per item and does not split a group.
    private static readonly Dictionary<string, string?> ListKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AptPackages"] = null,
        ["PipPackages"] = null,
        ["EnvVars"] = "Value",
        ["Commands"] = "Command",
        ["Entrypoint"] = null,
        ["Command"] = null,
        ["ExposePorts"] = null,
        ["Healthcheck"] = null,
        ["Labels"] = "Value",
    };

    private sealed record LayerGroup(string Kind, List<ItemOrigin> Items);

    private static List<LayerGroup> GroupLayers(IEnumerable<ItemOrigin> origins)
    {
        var groups = new List<LayerGroup>();
        string? previousKey = null;
        foreach (var origin in origins)
        {
            var item = origin.Item;
            var kind = KindOf(item);
            if (kind.Length == 0)
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.MissingLayerKind, item.ItemSpec, string.Join(", ", LayerKinds.Keys)));
            }
            var canonicalKind = LayerKinds.Keys.FirstOrDefault(k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase))
                ?? throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownLayerKind, item.ItemSpec, kind, string.Join(", ", LayerKinds.Keys)));
            var metadata = CustomMetadata(item);
            var accepted = LayerKinds[canonicalKind];
            var unknown = metadata.Keys.FirstOrDefault(k => !accepted.Contains(k, StringComparer.OrdinalIgnoreCase)
                && !string.Equals(k, ImageMetadata, StringComparison.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownMetadata, item.ItemSpec, canonicalKind, unknown,
                    accepted.Length == 0 ? "none" : string.Join(", ", accepted)));
            }
            if (ListKinds.TryGetValue(canonicalKind, out var perItem))
            {
                var key = canonicalKind + "\n" + string.Join("\n", metadata
                    .Where(kv => !string.Equals(kv.Key, perItem, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
                    .Select(kv => kv.Key.ToLowerInvariant() + "=" + kv.Value));
                if (key == previousKey)
                {
                    groups[^1].Items.Add(origin with { Kind = canonicalKind });
                    continue;
                }
                previousKey = key;
            }
            else
            {
                previousKey = null;
            }
            groups.Add(new LayerGroup(canonicalKind, [origin with { Kind = canonicalKind }]));
        }
        return groups;
    }

    /// <summary>
    /// <paramref name="path"/> (relative to the project folder) as a full path on the build machine. A
    /// path the runtime refuses (a NUL character) is a coded error through <see cref="ValueRules.FullHostPath"/>,
    /// never its ArgumentException; <paramref name="what"/> names the input in the message.
    /// </summary>
    internal static string HostPath(string path, string projectDirectory, string what)
        => ValueRules.FullHostPath(path.Contains('\0', StringComparison.Ordinal) ? path : Path.Combine(projectDirectory, path), what);

    private static Layer BuildLayer(LayerGroup group, Dictionary<string, Secret> secrets, string projectDirectory)
    {
        var first = group.Items[0];
        string? Meta(string name) => NullIfEmpty(first.Item.GetMetadata(name));
        string FullPath(ItemOrigin origin) => HostPath(origin.Item.ItemSpec, projectDirectory, group.Kind + " input");
        switch (group.Kind)
        {
            case "AptPackages":
                ValidateEach(group, o => ValueRules.ValidateAptPackage(o.Item.ItemSpec));
                return Blame(first, () => Layers.AptPackages(group.Items.Select(o => o.Item.ItemSpec), SecretsOf(first, secrets)));
            case "PipPackages":
                ValidateEach(group, o => ValueRules.ValidatePipRequirement(o.Item.ItemSpec));
                return Blame(first, () => Layers.PipPackages(group.Items.Select(o => o.Item.ItemSpec), PipOptionsOf(first, secrets)));
            case "Requirements":
                return Blame(first, () => Layers.Requirements(FullPath(first), PipOptionsOf(first, secrets)));
            case "UvProject":
                return Blame(first, () => Layers.UvProject(FullPath(first),
                    Meta("UvLock") is { } uvLock ? HostPath(uvLock, projectDirectory, "uv.lock") : null, PipOptionsOf(first, secrets)));
            case "SourceFolder":
                var chunkBytes = ChunkBytesOf(first);
                return Blame(first, () => Layers.SourceFolder(FullPath(first), Meta("Destination") ?? ".") with { ChunkBytes = chunkBytes });
            case "SourceFile":
                return Blame(first, () => Layers.SourceFile(FullPath(first), Meta("Destination") ?? "."));
            case "DockerIgnore":
                return Blame(first, () => Layers.DockerIgnore(FullPath(first)));
            case "EnvVars":
                ValidateEach(group, o => ValueRules.ValidateEnvironmentVariable(o.Item.ItemSpec, o.Item.GetMetadata("Value")));
                return Blame(first, () => Layers.EnvVars(group.Items.Select(o => KeyValuePair.Create(o.Item.ItemSpec, o.Item.GetMetadata("Value")))));
            case "Workdir":
                return Blame(first, () => Layers.Workdir(first.Item.ItemSpec));
            case "AppPublishOutput" or "Entrypoint" or "Command" or "User" or "ExposePorts" or "Healthcheck" or "Labels":
                return BuildAppLayer(group, projectDirectory);
            case "Commands": // the Command metadata, when set, is the command and Include only its label.
                string CommandOf(ItemOrigin o) => NullIfEmpty(o.Item.GetMetadata("Command")) ?? o.Item.ItemSpec;
                ValidateEach(group, o => ValueRules.ValidateCommand(CommandOf(o)));
                return Blame(first, () => Layers.Commands(group.Items.Select(CommandOf), SecretsOf(first, secrets)));
            default:
                // A kind the surface lists but this mapper does not build yet: refuse it rather than guess.
                throw Item(first, new ImageDefinitionException(DiagnosticCodes.UnknownLayerKind, first.Item.ItemSpec, group.Kind,
                    string.Join(", ", LayerKinds.Keys)));
        }
    }

    private static PipOptions PipOptionsOf(ItemOrigin origin, Dictionary<string, Secret> secrets)
    {
        var item = origin.Item;
        return new PipOptions
        {
            IndexUrl = NullIfEmpty(item.GetMetadata("IndexUrl")),
            ExtraIndexUrls = Split(item.GetMetadata("ExtraIndexUrls")).ToValueArray(),
            Pre = ParseBoolMetadata(origin, "Pre"),
            ExtraArgs = Split(item.GetMetadata("ExtraArgs")).ToValueArray(),
            Secrets = SecretsOf(origin, secrets).ToValueArray(),
        };
    }

    // ChunkBytes: bytes, optionally with a KiB/MiB/GiB suffix; 0 means one COPY always; empty means the default.
    private static long ChunkBytesOf(ItemOrigin origin)
    {
        var text = origin.Item.GetMetadata("ChunkBytes").Trim();
        if (text.Length == 0) return SourceFolderLayer.DefaultChunkBytes;
        var (digits, shift) = text.EndsWith("GiB", StringComparison.OrdinalIgnoreCase) ? (text[..^3], 30)
            : text.EndsWith("MiB", StringComparison.OrdinalIgnoreCase) ? (text[..^3], 20)
            : text.EndsWith("KiB", StringComparison.OrdinalIgnoreCase) ? (text[..^3], 10)
            : (text, 0);
        if (long.TryParse(digits.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number <= long.MaxValue >> shift)
        {
            return number << shift;
        }
        throw Item(origin, new ImageDefinitionException(DiagnosticCodes.InvalidChunkBytes, origin.Item.ItemSpec, text));
    }

    private static bool ParseBoolMetadata(ItemOrigin origin, string name)
    {
        var value = origin.Item.GetMetadata(name).Trim();
        if (value.Length == 0) return false;
        if (bool.TryParse(value, out var result)) return result;
        throw Item(origin, new ImageDefinitionException(DiagnosticCodes.InvalidBooleanMetadata, name, origin.Item.ItemSpec, value));
    }

    private static void ValidateEach(LayerGroup group, Action<ItemOrigin> validate)
    {
        foreach (var origin in group.Items) Blame(origin, () => { validate(origin); return 0; });
    }
}
