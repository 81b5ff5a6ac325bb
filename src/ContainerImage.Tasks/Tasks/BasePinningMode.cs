using ContainerImage.Diagnostics;

namespace ContainerImage.Tasks;

/// <summary>The values of $(ImageBasePinning).</summary>
public static class BasePinningMode
{
    /// <summary>How the base image's digest is treated.</summary>
    public enum Mode
    {
        /// <summary>The base is used by tag, as declared.</summary>
        None,

        /// <summary>The tag's digest is resolved when the definition is generated and pinned.</summary>
        Resolve,

        /// <summary>The digest is compared with the one in the lock file (recorded on first resolve) and pinned.</summary>
        Locked,
    }

    /// <summary>Parses the property (empty = none); throws CIMG5010 for another value.</summary>
    public static Mode Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => Mode.None,
        "resolve" => Mode.Resolve,
        "locked" => Mode.Locked,
        _ => throw new ItemMappingException(
            new ImageDefinitionException(DiagnosticCodes.InvalidProperty, "ImageBasePinning", value, "use 'none', 'resolve' or 'locked'"), null, "ImageBasePinning"),
    };
}
