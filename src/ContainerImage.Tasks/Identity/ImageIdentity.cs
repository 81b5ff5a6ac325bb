using System.Text.Json;

namespace ContainerImage.Identity;

/// <summary>The identifier of an image and what it was computed from.</summary>
/// <param name="Identifier">64 lowercase hex digits: SHA-256 of the UTF-8 bytes of <paramref name="CanonicalJson"/>.</param>
/// <param name="CanonicalJson">The canonical encoding that was hashed (docs/identifier.md).</param>
public sealed record ImageIdentity(string Identifier, string CanonicalJson)
{
    /// <summary>
    /// One manifest per layer that contributes to the identifier, in layer order; a Dockerfile image has a
    /// single entry with <see cref="LayerManifest.LayerIndex"/> -1 for its context. Lets a tool explain a
    /// rebuild ("layer 4: app/main.py changed") by comparing two identities.
    /// </summary>
    public IReadOnlyList<LayerManifest> Layers { get; init; } = [];

    /// <summary>This identity as indented JSON (for a file in obj/).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, IdentityJsonContext.Default.ImageIdentity);

    /// <summary>Reads an identity written by <see cref="ToJson"/>; null when the text is not one.</summary>
    public static ImageIdentity? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, IdentityJsonContext.Default.ImageIdentity);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What differs from <paramref name="previous"/>, one human-readable line per change, in layer order
    /// (e.g. <c>layer 4 (SourceFolder app -&gt; /srv/app): app/main.py changed</c>); empty when the identifiers match.
    /// </summary>
    public IReadOnlyList<string> DescribeChangesSince(ImageIdentity previous)
        => ExplainChangesSince(previous).Select(c => c.Message).ToList();

    /// <summary>
    /// What differs from <paramref name="previous"/> as data: base, Python version, platforms and installer
    /// first, then each layer (added, removed, moved, parameters, files) in layer order; empty when the
    /// identifiers match. Values that could be sensitive (environment variables, labels, index URLs) are named only.
    /// </summary>
    public IReadOnlyList<ImageChange> ExplainChangesSince(ImageIdentity previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return IdentityDiff.Explain(this, previous);
    }
}

/// <summary>What one layer contributed to the identifier.</summary>
/// <param name="LayerIndex">The layer's index in the image (-1 for a Dockerfile image's context).</param>
/// <param name="Kind">The layer kind.</param>
/// <param name="Description">A short human description, e.g. <c>SourceFolder app -&gt; /srv/app</c>.</param>
/// <param name="ParameterDigest">SHA-256 of the layer's canonical <c>parameters</c> JSON.</param>
/// <param name="Files">Its files, by relative path (ordinal).</param>
public sealed record LayerManifest(int LayerIndex, string Kind, string Description, string ParameterDigest, IReadOnlyList<ManifestFile> Files)
{
    /// <summary>What differs from <paramref name="before"/>, one line per change.</summary>
    public IEnumerable<string> DescribeChangesSince(LayerManifest before)
    {
        var label = $"layer {LayerIndex} ({Description})";
        if (Kind != before.Kind || ParameterDigest != before.ParameterDigest)
        {
            yield return $"{label}: its parameters changed";
        }
        var old = before.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var file in Files)
        {
            if (!old.Remove(file.Path, out var was)) yield return $"{label}: {file.Path} added";
            else if (was.Sha256 != file.Sha256) yield return $"{label}: {file.Path} changed";
            else if (was.Executable != file.Executable) yield return $"{label}: {file.Path} execute bit changed";
        }
        foreach (var path in old.Keys.Order(StringComparer.Ordinal)) yield return $"{label}: {path} removed";
    }
}

/// <summary>One file as the identifier saw it.</summary>
/// <param name="Path">Its normalized '/'-separated path relative to the layer's root.</param>
/// <param name="Sha256">The lowercase hex SHA-256 of its content.</param>
/// <param name="Executable">Whether its execute bit is set.</param>
public sealed record ManifestFile(string Path, string Sha256, bool Executable);
