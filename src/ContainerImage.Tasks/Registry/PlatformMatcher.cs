using System.Text.Json;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>
/// Compares requested platforms with what a manifest declares, with the OCI default variants
/// (<c>arm64</c> is <c>v8</c>, <c>arm</c> is <c>v7</c>) so <c>linux/arm64</c> matches an entry that
/// spells out <c>v8</c>.
/// </summary>
internal static class PlatformMatcher
{
    /// <summary>A platform as a manifest declares it.</summary>
    /// <param name="Os">The operating system.</param>
    /// <param name="Architecture">The CPU architecture.</param>
    /// <param name="Variant">The variant, or null.</param>
    internal sealed record DeclaredPlatform(string Os, string Architecture, string? Variant)
    {
        /// <summary>True for BuildKit's attestation entries, which describe no runnable image.</summary>
        public bool IsUnknown => Os == "unknown" && Architecture == "unknown";

        /// <inheritdoc/>
        public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
    }

    /// <summary>Reads <c>os</c>, <c>architecture</c>, <c>variant</c> from a platform object or an image config.</summary>
    public static DeclaredPlatform? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        string? Text(string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var os = Text("os");
        var architecture = Text("architecture");
        if (string.IsNullOrEmpty(os) || string.IsNullOrEmpty(architecture)) return null;
        var variant = Text("variant");
        return new DeclaredPlatform(os, architecture, string.IsNullOrEmpty(variant) ? null : variant);
    }

    /// <summary>True when <paramref name="declared"/> is the platform <paramref name="requested"/> asks for.</summary>
    public static bool Matches(Platform requested, DeclaredPlatform declared)
        => string.Equals(requested.Os, declared.Os, StringComparison.OrdinalIgnoreCase)
           && string.Equals(requested.Architecture, declared.Architecture, StringComparison.OrdinalIgnoreCase)
           && string.Equals(NormalizeVariant(requested.Architecture, requested.Variant),
                            NormalizeVariant(declared.Architecture, declared.Variant), StringComparison.OrdinalIgnoreCase);

    /// <summary>The requested platforms that none of <paramref name="declared"/> provides.</summary>
    public static IReadOnlyList<Platform> Missing(IReadOnlyList<Platform> requested, IReadOnlyList<DeclaredPlatform> declared)
        => requested.Where(r => !declared.Any(d => !d.IsUnknown && Matches(r, d))).ToList();

    private static string? NormalizeVariant(string architecture, string? variant)
        => variant ?? architecture.ToLowerInvariant() switch
        {
            "arm64" => "v8",
            "arm" => "v7",
            _ => null,
        };
}
