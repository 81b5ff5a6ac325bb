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

    // Metadata MSBuild itself puts on items: never the user's declaration.
    private static readonly HashSet<string> WellKnownMetadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
        "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
        "DefiningProjectName", "DefiningProjectExtension", "OriginalItemSpec", "Kind",
    };

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
