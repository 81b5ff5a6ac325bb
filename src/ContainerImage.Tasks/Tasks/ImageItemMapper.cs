using ContainerImage.Diagnostics;
using ContainerImage.Model;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>An image mapped from a project, with the item that declared each layer.</summary>
/// <param name="Image">The model.</param>
/// <param name="LayerOrigins">For each layer index, the (first) item that declared it.</param>
public sealed record MappedImage(Image Image, IReadOnlyList<ItemOrigin> LayerOrigins);

/// <summary>
/// Turns MSBuild properties and <c>ImageLayer</c>/<c>ImageSecret</c> items into the image model. The
/// ONLY place that knows item, metadata and property names; everything it builds is validated by
/// the model. Every model error leaves as an <see cref="ItemMappingException"/> naming the item or
/// property that declared the offending value.
/// </summary>
public static partial class ImageItemMapper
{
    /// <summary>The item type of layers.</summary>
    public const string LayerItemType = "ImageLayer";

    /// <summary>The item type of secrets.</summary>
    public const string SecretItemType = "ImageSecret";

    /// <summary>The item type of further images derived from the project's image (seed: <c>clone</c>).</summary>
    public const string CloneItemType = "ImageClone";

    /// <summary>The ImageLayer metadata that adds a layer to an ImageClone instead of the project's image.</summary>
    public const string ImageMetadata = "Image";

    /// <summary>The metadata an ImageClone accepts.</summary>
    public static IReadOnlyList<string> CloneMetadata => ImageSurface.CloneMetadata;

    /// <summary>The properties that define the image (the build settings are not among them).</summary>
    public static IReadOnlyList<string> DefinitionProperties => ImageSurface.DefinitionProperties;

    /// <summary>The layer kinds and the metadata each accepts (besides Kind).</summary>
    public static IReadOnlyDictionary<string, string[]> LayerKinds => ImageSurface.LayerKinds;

    /// <summary>The metadata an ImageSecret accepts.</summary>
    public static IReadOnlyList<string> SecretMetadata => ImageSurface.SecretMetadata;


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

    // Metadata MSBuild itself puts on items: never the user's declaration.
    private static readonly HashSet<string> WellKnownMetadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
        "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
        "DefiningProjectName", "DefiningProjectExtension", "OriginalItemSpec", "Kind",
    };

    private static readonly string[] BaseProperties = ["ImageBaseUri", "ImageDockerfile", "ImageUvScript"];

    private static readonly string[] UvScriptOnlyProperties =
        ["ImageUvScriptIndexUrl", "ImageUvScriptExtraIndexUrls", "ImageUvScriptPre", "ImageUvScriptExtraArgs", "ImageUvScriptSecrets"];

    private static readonly string[] DebianOnlyProperties = ["ImagePythonVersion", "ImageCoreLibrarySpec", "ImageDebianBaseImage", "ImageDebianAptPackages", "ImageUser"];

    /// <summary>Maps properties and items to the project's image (ImageClone items are not read).</summary>
    /// <param name="properties">Property values by name (<see cref="DefinitionProperties"/>); missing or empty = not set.</param>
    /// <param name="layers">The ImageLayer items, in declaration order.</param>
    /// <param name="secrets">The ImageSecret items.</param>
    /// <param name="projectDirectory">Relative paths in items and properties are relative to it.</param>
    public static MappedImage Map(IReadOnlyDictionary<string, string?> properties, IReadOnlyList<ITaskItem> layers,
        IReadOnlyList<ITaskItem> secrets, string projectDirectory)
        => MapAll(properties, layers, secrets, [], projectDirectory)[0];

    /// <summary>
    /// Maps the project's image (first) and every ImageClone: a clone starts as a copy of the image
    /// named by its <c>From</c> metadata (default: the project's image), takes its own name (the
    /// Include), optionally another registry, tag, Python version or platforms, and then the layers
    /// whose <c>Image</c> metadata names it.
    /// </summary>
    public static IReadOnlyList<MappedImage> MapAll(IReadOnlyDictionary<string, string?> properties, IReadOnlyList<ITaskItem> layers,
        IReadOnlyList<ITaskItem> secrets, IReadOnlyList<ITaskItem> clones, string projectDirectory)
        => MapAll(properties, layers, secrets, clones, projectDirectory, null);

    /// <summary>
    /// As <see cref="MapAll(IReadOnlyDictionary{string, string}, IReadOnlyList{ITaskItem}, IReadOnlyList{ITaskItem}, IReadOnlyList{ITaskItem}, string)"/>,
    /// with <paramref name="pinBase"/> applied to the project's image right after its base is mapped (before
    /// any layer or clone), so copies and derived images all see the pinned base. Its coded errors are
    /// blamed on the ImageBasePinning property.
    /// </summary>
    public static IReadOnlyList<MappedImage> MapAll(IReadOnlyDictionary<string, string?> properties, IReadOnlyList<ITaskItem> layers,
        IReadOnlyList<ITaskItem> secrets, IReadOnlyList<ITaskItem> clones, string projectDirectory, Func<Image, Image>? pinBase)
    {
        string? Get(string name) => properties.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var secretMap = MapSecrets(secrets, projectDirectory);
        var cloneOrigins = Origins(CloneItemType, clones, _ => "").ToList();
        var cloneNames = new HashSet<string>(cloneOrigins.Select(c => c.Item.ItemSpec.Trim()), StringComparer.Ordinal);
        var layerOrigins = Origins(LayerItemType, layers, KindOf).ToList();
        foreach (var origin in layerOrigins)
        {
            var target = TargetImageOf(origin);
            if (target is not null && !cloneNames.Contains(target))
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownImageReference, origin.Item.ItemSpec, target));
            }
        }

        var baseImage = MapBase(Get, projectDirectory, secretMap);
        if (pinBase is not null) baseImage = BlameProperty("ImageBasePinning", () => pinBase(baseImage));
        var main = AddLayers(new MappedImage(baseImage, []),
            layerOrigins.Where(o => TargetImageOf(o) is null), secretMap, projectDirectory);
        main = AddGeneratedLabels(main, Get, layerOrigins.Where(o => TargetImageOf(o) is null));
        var mapped = new Dictionary<string, MappedImage>(StringComparer.Ordinal);
        var result = new List<MappedImage> { main };
        foreach (var clone in cloneOrigins)
        {
            result.Add(MapClone(clone, main, cloneOrigins, mapped, [], layerOrigins, secretMap, projectDirectory));
        }
        var duplicate = result.GroupBy(m => m.Image.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var culprit = cloneOrigins.First(c => c.Item.ItemSpec.Trim() == duplicate.Key);
            throw Item(culprit, new ImageDefinitionException(DiagnosticCodes.DuplicateImageName, duplicate.Key));
        }
        return result;
    }

    private static string? TargetImageOf(ItemOrigin origin) => NullIfEmpty(origin.Item.GetMetadata(ImageMetadata))?.Trim();

    private static MappedImage MapClone(ItemOrigin clone, MappedImage main, List<ItemOrigin> clones, Dictionary<string, MappedImage> mapped,
        List<string> chain, List<ItemOrigin> layerOrigins, Dictionary<string, Secret> secrets, string projectDirectory)
    {
        var item = clone.Item;
        var name = item.ItemSpec.Trim();
        if (mapped.TryGetValue(name, out var done)) return done;
        if (chain.Contains(name))
        {
            throw Item(clone, new ImageDefinitionException(DiagnosticCodes.ImageDependencyCycle, string.Join(" -> ", chain.Append(name))));
        }
        var unknown = CustomMetadata(item).Keys.FirstOrDefault(k => !CloneMetadata.Contains(k, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            throw Item(clone, new ImageDefinitionException(DiagnosticCodes.UnknownMetadata, name, CloneItemType, unknown, string.Join(", ", CloneMetadata)));
        }
        string? Meta(string metadata) => NullIfEmpty(item.GetMetadata(metadata))?.Trim();

        var parent = main;
        if (Meta("From") is { } from && from != main.Image.Name)
        {
            var parentOrigin = clones.FirstOrDefault(c => c.Item.ItemSpec.Trim() == from)
                ?? throw Item(clone, new ImageDefinitionException(DiagnosticCodes.UnknownImageReference, name, from));
            parent = MapClone(parentOrigin, main, clones, mapped, [.. chain, name], layerOrigins, secrets, projectDirectory);
        }
        var derive = ParseBoolMetadata(clone, DeriveMetadata);
        if (derive) return mapped[name] = MapDerived(clone, parent, layerOrigins, secrets, projectDirectory);
        var image = Blame(clone, () =>
        {
            var copy = parent.Image.Clone(
                registry: Meta("Registry"),
                name: name,
                pythonVersion: Meta("PythonVersion") is { } version ? PythonVersion.Parse(version) : null);
            if (Meta("Tag") is { } tag) copy = copy.WithTag(tag);
            if (Meta("Platforms") is { } platforms) copy = copy.WithPlatforms(Split(platforms).Select(Platform.Parse));
            return copy;
        });
        var result = AddLayers(new MappedImage(image, parent.LayerOrigins), layerOrigins.Where(o => TargetImageOf(o) == name), secrets, projectDirectory);
        mapped[name] = result;
        return result;
    }

    private static MappedImage AddLayers(MappedImage start, IEnumerable<ItemOrigin> layerOrigins, Dictionary<string, Secret> secrets, string projectDirectory)
    {
        var image = start.Image;
        var origins = start.LayerOrigins.ToList();
        foreach (var group in GroupLayers(layerOrigins))
        {
            var layer = BuildLayer(group, secrets, projectDirectory);
            image = Blame(group.Items[0], () => image.WithLayer(layer));
            origins.Add(group.Items[0]);
        }
        return new MappedImage(image, origins);
    }

    private static Image MapBase(Func<string, string?> get, string projectDirectory, Dictionary<string, Secret> secrets)
    {
        var bases = BaseProperties.Where(p => get(p) is not null).ToList();
        if (bases.Count > 1)
        {
            throw Property(bases[1], new ImageDefinitionException(DiagnosticCodes.ConflictingBases, get("ImageName"), string.Join(", ", bases)));
        }
        if (get("ImageUvScript") is null && UvScriptOnlyProperties.FirstOrDefault(p => get(p) is not null) is { } uvOnly)
        {
            throw Property(uvOnly, new ImageDefinitionException(DiagnosticCodes.PropertyNeedsUvScriptBase, uvOnly));
        }
        var platforms = get("ImagePlatforms") is { } list
            ? BlameProperty("ImagePlatforms", () => Split(list).Select(Platform.Parse).ToList())
            : null;
        var python = get("ImagePythonVersion") is { } pv ? BlameProperty("ImagePythonVersion", () => PythonVersion.Parse(pv)) : (PythonVersion?)null;
        var installCore = ParseBool(get, "ImageInstallCoreLibrary", true);

        Image image;
        if (get("ImageBaseUri") is { } uri)
        {
            RefuseDebianOnly(get, "ImageBaseUri");
            image = BlameProperty("ImageBaseUri", () => Image.FromBase(uri, platforms: platforms));
        }
        else if (get("ImageDockerfile") is { } dockerfile)
        {
            RefuseDebianOnly(get, "ImageDockerfile");
            image = BlameProperty("ImageDockerfile", () => Image.FromDockerfile(HostPath(dockerfile, projectDirectory, "Dockerfile"), platforms: platforms));
        }
        else if (get("ImageUvScript") is { } script)
        {
            var options = UvScriptOptions(get, secrets);
            image = Blame(code => code switch
            {
                DiagnosticCodes.InvalidPlatformList => "ImagePlatforms",
                DiagnosticCodes.InvalidImageReference => "ImageDebianBaseImage",
                _ => "ImageUvScript",
            }, () => Image.FromUvScript(options: options, script: HostPath(script, projectDirectory, "uv script"), pythonVersion: python, installCoreLibrary: installCore,
                platforms: platforms, baseImageTemplate: get("ImageDebianBaseImage")));
            if (get("ImageCoreLibrarySpec") is { } spec)
            {
                image = BlameProperty("ImageCoreLibrarySpec", () => image.WithDebianBase(d => d with { CoreLibrarySpec = spec }));
            }
        }
        else
        {
            image = Blame(code => code switch
            {
                DiagnosticCodes.InvalidPlatformList => "ImagePlatforms",
                DiagnosticCodes.InvalidPipRequirement => "ImageCoreLibrarySpec",
                _ => "ImageDebianBaseImage",
            }, () => Image.FromDebianBase(python, installCore, platforms: platforms, coreLibrarySpec: get("ImageCoreLibrarySpec"),
                baseImageTemplate: get("ImageDebianBaseImage")));
        }

        if (get("ImageDebianAptPackages") is { } apt)
        {
            image = BlameProperty("ImageDebianAptPackages", () => image.WithDebianBase(d => d with { AptPackages = Split(apt).ToValueArray() }));
        }
        if (get("ImageUser") is { } user)
        {
            image = BlameProperty("ImageUser", () => image.WithDebianBase(d => d with { User = user }));
        }
        var installer = get("ImagePythonInstaller")?.ToLowerInvariant() switch
        {
            null or "uv" => PythonInstaller.Uv,
            "pip" => PythonInstaller.Pip,
            _ => throw Property("ImagePythonInstaller", new ImageDefinitionException(DiagnosticCodes.InvalidPythonInstaller, get("ImagePythonInstaller"))),
        };
        image = BlameProperty("ImageUvImage", () => image.WithPythonInstaller(installer, get("ImageUvImage")));
        if (get("ImageName") is { } name) image = BlameProperty("ImageName", () => image.WithName(name));
        image = BlameProperty("ImageRegistry", () => image.WithRegistry(get("ImageRegistry")));
        return BlameProperty("ImageTag", () => image.WithTag(get("ImageTag")));
    }

    // $(ImageUvScript*) index options, each checked against the property that declared it; null when none is
    // set, so the script header's own [tool.uv] settings apply unchanged.
    private static PipOptions? UvScriptOptions(Func<string, string?> get, Dictionary<string, Secret> secrets)
    {
        if (UvScriptOnlyProperties.All(p => get(p) is null)) return null;
        var indexUrl = get("ImageUvScriptIndexUrl");
        var extraIndexUrls = Split(get("ImageUvScriptExtraIndexUrls") ?? "").ToValueArray();
        var extraArgs = Split(get("ImageUvScriptExtraArgs") ?? "").ToValueArray();
        BlameProperty("ImageUvScriptIndexUrl", () => new PipOptions { IndexUrl = indexUrl }.Validate());
        BlameProperty("ImageUvScriptExtraIndexUrls", () => new PipOptions { ExtraIndexUrls = extraIndexUrls }.Validate());
        BlameProperty("ImageUvScriptExtraArgs", () => new PipOptions { ExtraArgs = extraArgs }.Validate());
        var secretIds = Split(get("ImageUvScriptSecrets") ?? "").ToList();
        var unknown = secretIds.FirstOrDefault(id => !secrets.ContainsKey(id));
        if (unknown is not null)
        {
            throw Property("ImageUvScriptSecrets", new ImageDefinitionException(DiagnosticCodes.UnknownUvScriptSecret, unknown));
        }
        return new PipOptions
        {
            IndexUrl = indexUrl,
            ExtraIndexUrls = extraIndexUrls,
            Pre = ParseBool(get, "ImageUvScriptPre", false),
            ExtraArgs = extraArgs,
            Secrets = secretIds.Select(id => secrets[id]).ToValueArray(),
        };
    }

    private static void RefuseDebianOnly(Func<string, string?> get, string baseProperty)
    {
        var misplaced = DebianOnlyProperties.FirstOrDefault(p => get(p) is not null);
        if (misplaced is not null)
        {
            throw Property(misplaced, new ImageDefinitionException(DiagnosticCodes.PropertyNeedsDebianBase, misplaced, baseProperty));
        }
    }

    private static Dictionary<string, Secret> MapSecrets(IReadOnlyList<ITaskItem> items, string projectDirectory)
    {
        var map = new Dictionary<string, Secret>(StringComparer.Ordinal);
        foreach (var origin in Origins(SecretItemType, items, _ => ""))
        {
            var item = origin.Item;
            var unknown = CustomMetadata(item).Keys.FirstOrDefault(k => !SecretMetadata.Contains(k, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownSecretMetadata, item.ItemSpec, unknown, string.Join(", ", SecretMetadata)));
            }
            string? Meta(string name) => NullIfEmpty(item.GetMetadata(name));
            foreach (var (a, b) in new[] { ("FromEnvironment", "FromFile"), ("AsEnvironmentVariable", "AsFile") })
            {
                if (Meta(a) is not null && Meta(b) is not null)
                {
                    throw Item(origin, new ImageDefinitionException(DiagnosticCodes.ConflictingSecretMetadata, item.ItemSpec, a, b));
                }
            }
            var secret = Blame(origin, () =>
            {
                var s = Meta("AsFile") is { } mount ? Secret.AsFile(item.ItemSpec, mount) : Secret.AsEnvironmentVariable(item.ItemSpec, Meta("AsEnvironmentVariable"));
                if (Meta("FromFile") is { } file) s = s.FromFile(HostPath(file, projectDirectory, "secret file"));
                else if (Meta("FromEnvironment") is { } env) s = s.FromEnvironment(env);
                return s;
            });
            if (!map.TryAdd(secret.Id, secret))
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.DuplicateSecret, secret.Id));
            }
        }
        return map;
    }

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

    private static List<Secret> SecretsOf(ItemOrigin origin, Dictionary<string, Secret> secrets)
        => Split(origin.Item.GetMetadata("Secrets"))
            .Select(id => secrets.TryGetValue(id, out var secret)
                ? secret
                : throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownSecretReference, origin.Item.ItemSpec, id)))
            .ToList();

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

    private static bool ParseBool(Func<string, string?> get, string property, bool defaultValue)
    {
        var value = get(property);
        if (value is null) return defaultValue;
        if (bool.TryParse(value, out var result)) return result;
        throw Property(property, new ImageDefinitionException(DiagnosticCodes.InvalidProperty, property, value, "use 'true' or 'false'"));
    }

    private static void ValidateEach(LayerGroup group, Action<ItemOrigin> validate)
    {
        foreach (var origin in group.Items) Blame(origin, () => { validate(origin); return 0; });
    }

    // Numbers items by (Kind, spec) occurrence so the n-th identical declaration maps to the n-th element.
    private static IEnumerable<ItemOrigin> Origins(string itemType, IReadOnlyList<ITaskItem> items, Func<ITaskItem, string> kindOf)
    {
        var seen = new Dictionary<(string, string), int>();
        foreach (var item in items)
        {
            var key = (kindOf(item).ToLowerInvariant(), item.ItemSpec);
            seen[key] = seen.TryGetValue(key, out var n) ? n + 1 : 0;
            yield return new ItemOrigin(itemType, item, kindOf(item), seen[key]);
        }
    }

    private static string KindOf(ITaskItem item) => item.GetMetadata("Kind").Trim();

    /// <summary>The user's metadata on an item (MSBuild's well-known metadata and empty values left out).</summary>
    private static Dictionary<string, string> CustomMetadata(ITaskItem item)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in item.MetadataNames.Cast<string>())
        {
            if (WellKnownMetadata.Contains(name)) continue;
            var value = item.GetMetadata(name);
            if (!string.IsNullOrEmpty(value)) result[name] = value;
        }
        return result;
    }

    /// <summary>Splits a ';' list, trimming entries and dropping empty ones.</summary>
    public static IEnumerable<string> Split(string? list)
        => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static T Blame<T>(ItemOrigin origin, Func<T> action)
    {
        try { return action(); }
        catch (ImageDefinitionException e) { throw Item(origin, e); }
    }

    private static T BlameProperty<T>(string property, Func<T> action) => Blame(_ => property, action);

    private static T Blame<T>(Func<string, string> propertyForCode, Func<T> action)
    {
        try { return action(); }
        catch (ImageDefinitionException e) { throw Property(propertyForCode(e.Code), e); }
    }

    private static ItemMappingException Item(ItemOrigin origin, ImageDefinitionException e) => new(e, origin, null);

    private static ItemMappingException Property(string property, ImageDefinitionException e) => new(e, null, property);
}
