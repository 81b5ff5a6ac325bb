using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>A target platform such as <c>linux/amd64</c> (OCI os/architecture/variant).</summary>
public sealed partial record Platform
{
    private Platform(string os, string architecture, string? variant)
    {
        Os = os;
        Architecture = architecture;
        Variant = variant;
    }

    /// <summary>The operating system, e.g. <c>linux</c>.</summary>
    public string Os { get; }

    /// <summary>The CPU architecture, e.g. <c>amd64</c>.</summary>
    public string Architecture { get; }

    /// <summary>The optional variant, e.g. <c>v8</c>.</summary>
    public string? Variant { get; }

    /// <summary><c>linux/amd64</c>.</summary>
    public static Platform LinuxAmd64 { get; } = new("linux", "amd64", null);

    /// <summary><c>linux/arm64</c>.</summary>
    public static Platform LinuxArm64 { get; } = new("linux", "arm64", null);

    /// <summary>Parses <c>os/architecture[/variant]</c>; throws <see cref="DiagnosticCodes.InvalidPlatform"/>.</summary>
    public static Platform Parse(string text)
    {
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => !Part().IsMatch(p)))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidPlatform, text);
        }
        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <inheritdoc/>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    [GeneratedRegex("^[a-z0-9_]{1,32}\\z")]
    private static partial Regex Part();
}
