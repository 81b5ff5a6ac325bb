using System.Text.Json;
using ContainerImage.Model;

namespace ContainerImage.Build;

/// <summary>
/// Reads the file buildx writes with <c>--metadata-file</c>. Its <c>containerimage.digest</c> is the
/// pushed manifest's digest, or the index digest for a multi-platform push.
/// </summary>
public static class BuildMetadata
{
    /// <summary>The key buildx writes the image digest under.</summary>
    public const string DigestKey = "containerimage.digest";

    /// <summary>The digest in <paramref name="metadataFile"/>, or null when the file, the key or a valid digest is absent.</summary>
    public static string? ReadDigest(string metadataFile)
    {
        if (!File.Exists(metadataFile)) return null;
        try
        {
            return ParseDigest(File.ReadAllText(metadataFile));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The digest in metadata JSON text, or null.</summary>
    public static string? ParseDigest(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(DigestKey, out var digest)
                && digest.ValueKind == JsonValueKind.String
                && ImageNames.IsDigest(digest.GetString())
                ? digest.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
