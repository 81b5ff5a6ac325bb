using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Tasks;

/// <summary>
/// Pins an image's existing-image base for $(ImageBasePinning): <c>resolve</c> asks the registry for the
/// tag's digest now (a warning, and no pin, when it cannot answer); <c>locked</c> compares it with the
/// digest recorded in the lock file, recording it there on first resolve, and fails when the tag moved
/// or the registry cannot answer (a lock that cannot be checked protects nothing).
/// </summary>
public sealed class BaseImagePinner
{
    private readonly BasePinningMode.Mode _mode;
    private readonly string _lockFile;
    private readonly RegistryOptions _options;
    private readonly Action<ImageDefinitionException> _warn;

    /// <summary>A pinner for <paramref name="mode"/>; <paramref name="warn"/> receives the CIMG1030 of <c>resolve</c>.</summary>
    public BaseImagePinner(BasePinningMode.Mode mode, string lockFile, RegistryOptions options, Action<ImageDefinitionException> warn)
    {
        _mode = mode;
        _lockFile = lockFile;
        _options = options;
        _warn = warn;
    }

    /// <summary><paramref name="image"/> with its base pinned as the mode says (unchanged for <c>none</c>).</summary>
    public Image Pin(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_mode == BasePinningMode.Mode.None) return image;
        if (image.Base is not ExistingImageBase existing) throw new ImageDefinitionException(DiagnosticCodes.BasePinNotApplicable, image.Base.Kind);
        var reference = existing.Reference.ToString();
        using var client = new RegistryClient(_options);
        if (_mode == BasePinningMode.Mode.Resolve)
        {
            try
            {
                return image.WithPinnedBase(client.ResolveDigestAsync(reference, image.Platforms).GetAwaiter().GetResult());
            }
            catch (ImageDefinitionException e) when (e.Code == DiagnosticCodes.BaseDigestUnresolved)
            {
                _warn(e);
                return image;
            }
        }

        var locked = ReadLock();
        if (locked.TryGetPropertyValue(reference, out var node) && node?.GetValueKind() == JsonValueKind.String)
        {
            var expected = node.GetValue<string>();
            return image.WithPinnedBase(client.VerifyDigestAsync(reference, expected, image.Platforms).GetAwaiter().GetResult());
        }
        var digest = client.ResolveDigestAsync(reference, image.Platforms).GetAwaiter().GetResult();
        locked[reference] = digest;
        WriteLock(locked);
        return image.WithPinnedBase(digest);
    }

    // { "version": 1, "bases": { "<base reference>": "sha256:..." } }: one entry per base reference.
    private JsonObject ReadLock()
    {
        if (!File.Exists(_lockFile)) return [];
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(_lockFile)) as JsonObject
                ?? throw new ImageDefinitionException(DiagnosticCodes.InvalidBaseImageLockFile, _lockFile, "it is not a JSON object");
            return root["bases"] switch
            {
                JsonObject bases => (JsonObject)bases.DeepClone(),
                null => [],
                _ => throw new ImageDefinitionException(DiagnosticCodes.InvalidBaseImageLockFile, _lockFile, "'bases' is not an object"),
            };
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidBaseImageLockFile, _lockFile, e.Message);
        }
    }

    private void WriteLock(JsonObject bases)
    {
        var root = new JsonObject { ["version"] = 1, ["bases"] = bases };
        OutputFiles.WriteIfChanged(_lockFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
