using System.Globalization;
using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using Microsoft.Build.Utilities;

namespace ContainerImage.Tasks;

/// <summary>The app-image part of the mapper: app layer kinds, OCI labels from project metadata, derived clones.</summary>
public static partial class ImageItemMapper
{
    /// <summary>The Entrypoint/Command metadata that, with Include="none", clears the inherited value.</summary>
    public const string ClearMetadata = "Clear";

    /// <summary>The ImageClone metadata that makes the clone a derived image (<c>FROM</c> its source) instead of a copy.</summary>
    public const string DeriveMetadata = "Derive";

    /// <summary>The property that turns the OCI labels from project metadata on (the SDK's default) or off (the mapper's default, when it is not given).</summary>
    public const string GenerateLabelsProperty = "ImageGenerateLabels";

    private static string[] HealthcheckMetadata => ["Interval", "Timeout", "StartPeriod", "Retries"];

    // Which property each generated label comes from: a bad value is blamed on that property.
    private static readonly (string Key, string Property)[] GeneratedLabels =
    [
        ("org.opencontainers.image.title", "ImageName"),
        ("org.opencontainers.image.version", "Version"),
        ("org.opencontainers.image.authors", "Authors"),
        ("org.opencontainers.image.description", "Description"),
        ("org.opencontainers.image.revision", "SourceRevisionId"),
        ("org.opencontainers.image.source", "RepositoryUrl"),
    ];

    private static Layer BuildAppLayer(LayerGroup group, string projectDirectory)
    {
        var first = group.Items[0];
        var arguments = group.Items.Select(o => o.Item.ItemSpec).ToList();
        switch (group.Kind)
        {
            case "AppPublishOutput":
                return Blame(first, () => Layers.AppPublishOutput(HostPath(first.Item.ItemSpec, projectDirectory, "AppPublishOutput folder"),
                    NullIfEmpty(first.Item.GetMetadata("Destination"))));
            case "Entrypoint":
                return Blame(first, () => Layers.Entrypoint(ExecArgumentsOf(group)));
            case "Command":
                return Blame(first, () => Layers.Command(ExecArgumentsOf(group)));
            case "User":
                return Blame(first, () => Layers.User(first.Item.ItemSpec));
            case "ExposePorts":
                ValidateEach(group, o => Layers.ExposePorts([o.Item.ItemSpec]));
                return Blame(first, () => Layers.ExposePorts(arguments));
            case "Healthcheck":
                return BuildHealthcheck(group);
            default: // Labels
                ValidateEach(group, o => Layers.ValidateLabel(new ImageLabel(o.Item.ItemSpec, o.Item.GetMetadata("Value"))));
                return Blame(first, () => Layers.Labels(group.Items.Select(o => KeyValuePair.Create(o.Item.ItemSpec, o.Item.GetMetadata("Value")))));
        }
    }

    // Clear="true" with Include="none" is the only way to declare an empty list: MSBuild drops an
    // empty Include, so "none" stands for it, and only with Clear so a program named 'none' stays possible.
    private static List<string> ExecArgumentsOf(LayerGroup group)
    {
        var first = group.Items[0];
        if (!ParseBoolMetadata(first, ClearMetadata)) return group.Items.Select(o => o.Item.ItemSpec).ToList();
        var offending = group.Items.Count > 1 ? group.Items[1] : first;
        if (group.Items.Count > 1 || !string.Equals(first.Item.ItemSpec.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            throw Item(offending, new ImageDefinitionException(DiagnosticCodes.ClearNeedsNone, group.Kind, offending.Item.ItemSpec));
        }
        return [];
    }

    private static HealthcheckLayer BuildHealthcheck(LayerGroup group)
    {
        var first = group.Items[0];
        var interval = DurationOf(first, "Interval");
        var timeout = DurationOf(first, "Timeout");
        var startPeriod = DurationOf(first, "StartPeriod");
        int? retries = null;
        if (NullIfEmpty(first.Item.GetMetadata("Retries")) is { } text)
        {
            retries = int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                ? count
                : throw Item(first, new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheckMetadata, first.Item.ItemSpec, "Retries", text,
                    "use a whole number from 1 to 1000"));
        }
        if (group.Items.Count == 1 && string.Equals(first.Item.ItemSpec.Trim(), "NONE", StringComparison.OrdinalIgnoreCase))
        {
            var timing = HealthcheckMetadata.FirstOrDefault(m => NullIfEmpty(first.Item.GetMetadata(m)) is not null);
            if (timing is not null)
            {
                throw Item(first, new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheckMetadata, first.Item.ItemSpec, timing,
                    first.Item.GetMetadata(timing), "NONE turns checks off, so it takes no timings; remove the metadata"));
            }
            return Layers.HealthcheckNone();
        }
        return Blame(first, () => Layers.Healthcheck(group.Items.Select(o => o.Item.ItemSpec), interval, timeout, startPeriod, retries));
    }

    // Durations are written as the engine's own flags take them: "30s", "1m30s", "500ms", "1h".
    private static TimeSpan? DurationOf(ItemOrigin origin, string metadata)
    {
        var text = NullIfEmpty(origin.Item.GetMetadata(metadata))?.Trim();
        if (text is null) return null;
        if (!DurationText().IsMatch(text))
        {
            throw Item(origin, new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheckMetadata, origin.Item.ItemSpec, metadata, text,
                "use a duration such as 30s, 1m30s or 500ms"));
        }
        var total = TimeSpan.Zero;
        foreach (Match part in DurationPart().Matches(text))
        {
            if (!long.TryParse(part.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000_000)
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheckMetadata, origin.Item.ItemSpec, metadata, text,
                    "use a duration such as 30s, 1m30s or 500ms"));
            }
            total += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }
        return total;
    }

    /// <summary>
    /// Adds the OCI labels from project metadata (title, version, authors, description, revision,
    /// source) as one Labels layer at the end, leaving out empty values and the keys the project's own
    /// Labels items set (the user's declaration wins).
    /// </summary>
    private static MappedImage AddGeneratedLabels(MappedImage mapped, Func<string, string?> get, IEnumerable<ItemOrigin> ownLayers)
    {
        // Off unless asked for: the SDK's props turn it on for projects (ImageGenerateLabels=true), but a
        // caller of the mapper that passes no such property gets exactly the layers it declared.
        if (!ParseBool(get, GenerateLabelsProperty, false)) return mapped;
        // A Dockerfile image is built from the user's file as it is: no layer can be added, labels included.
        if (mapped.Image.Base is DockerfileBase) return mapped;
        var declared = new HashSet<string>(ownLayers
            .Where(o => string.Equals(KindOf(o.Item), "Labels", StringComparison.OrdinalIgnoreCase))
            .Select(o => o.Item.ItemSpec.Trim()), StringComparer.Ordinal);
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var (key, property) in GeneratedLabels)
        {
            var value = property == "ImageName" ? mapped.Image.Name : get(property);
            if (value is null || declared.Contains(key)) continue;
            BlameProperty(property, () => { Layers.ValidateLabel(new ImageLabel(key, value)); return 0; });
            labels.Add(KeyValuePair.Create(key, value));
        }
        if (labels.Count == 0) return mapped;
        var image = BlameProperty(GenerateLabelsProperty, () => mapped.Image.WithLabels(labels));
        // Not declared by an item: the origin names the property, which the locator finds in no ItemGroup.
        var origin = new ItemOrigin(GenerateLabelsProperty, new TaskItem(GenerateLabelsProperty), "Labels", 0);
        return new MappedImage(image, [.. mapped.LayerOrigins, origin]);
    }

    /// <summary>An ImageClone with Derive="true": <c>FROM</c> its source's URI, then only its own layers.</summary>
    private static MappedImage MapDerived(ItemOrigin clone, MappedImage parent, List<ItemOrigin> layerOrigins,
        Dictionary<string, Secret> secrets, string projectDirectory)
    {
        var name = clone.Item.ItemSpec.Trim();
        string? Meta(string metadata) => NullIfEmpty(clone.Item.GetMetadata(metadata))?.Trim();
        var image = Blame(clone, () =>
        {
            var child = Image.FromParent(parent.Image, name, Meta("Registry"));
            if (Meta("PythonVersion") is { } version) child = child.WithDebianBase(d => d with { Python = PythonVersion.Parse(version) });
            if (Meta("Tag") is { } tag) child = child.WithTag(tag);
            if (Meta("Platforms") is { } platforms) child = child.WithPlatforms(Split(platforms).Select(Platform.Parse));
            return child;
        });
        return AddLayers(new MappedImage(image, []), layerOrigins.Where(o => TargetImageOf(o) == name), secrets, projectDirectory);
    }

    [GeneratedRegex(@"^(?:[0-9]+(?:ms|s|m|h))+$")]
    private static partial Regex DurationText();

    [GeneratedRegex(@"(?<n>[0-9]+)(?<unit>ms|s|m|h)")]
    private static partial Regex DurationPart();
}
