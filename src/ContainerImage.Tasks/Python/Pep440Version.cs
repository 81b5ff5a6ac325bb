using System.Globalization;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace ContainerImage.Python;

/// <summary>
/// A PEP 440 version as written in a <c>requires-python</c> clause, mapped onto a NuGet version so
/// NuGet.Versioning can do the range arithmetic. Python releases are always final
/// <c>X.Y.Z</c> versions, so the mapping only has to keep every version in the right place
/// RELATIVE TO FINAL RELEASES: a pre-release or dev release of X.Y.Z sorts just below X.Y.Z (a NuGet
/// pre-release label), a post-release of X.Y.Z just above it (revision 1, below X.Y.Z+1).
/// </summary>
internal sealed partial record Pep440Version(int[] Release, string? PreRelease, bool IsPostRelease, bool IsDevRelease)
{
    /// <summary>The release segment padded to major.minor.patch.</summary>
    public int Major => Release[0];

    /// <summary>The minor version (0 when not written).</summary>
    public int Minor => Release.Length > 1 ? Release[1] : 0;

    /// <summary>The patch version (0 when not written).</summary>
    public int Patch => Release.Length > 2 ? Release[2] : 0;

    /// <summary>True for a plain final release (no pre, post or dev part).</summary>
    public bool IsFinal => PreRelease is null && !IsPostRelease && !IsDevRelease;

    /// <summary>
    /// Parses a public PEP 440 version (normalization rules: case-insensitive, optional 'v', epoch 0,
    /// alternative spellings of pre/post/dev). Returns null with a reason when it cannot be used.
    /// </summary>
    public static Pep440Version? TryParse(string text, out string reason)
    {
        reason = "";
        var m = VersionPattern().Match(text);
        if (!m.Success)
        {
            reason = $"'{text}' is not a PEP 440 version";
            return null;
        }
        if (m.Groups["epoch"].Success && long.Parse(m.Groups["epoch"].Value, CultureInfo.InvariantCulture) != 0)
        {
            reason = $"'{text}' has an epoch; Python releases have none";
            return null;
        }
        if (m.Groups["local"].Success)
        {
            reason = $"'{text}' has a local version label ('+...'); no Python release has one";
            return null;
        }
        var parts = m.Groups["release"].Value.Split('.');
        if (parts.Length > 3)
        {
            reason = $"'{text}' has more than three release numbers; Python versions are major.minor.patch";
            return null;
        }
        var release = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out release[i]) || release[i] > 99999)
            {
                reason = $"'{text}' has a release number that is too large";
                return null;
            }
        }
        string? pre = null;
        if (m.Groups["pre"].Success)
        {
            // PEP 440 normalization of the pre-release spellings.
            var kind = m.Groups["prekind"].Value.ToLowerInvariant() switch
            {
                "a" or "alpha" => "a",
                "b" or "beta" => "b",
                _ => "rc",
            };
            var number = m.Groups["prenum"].Success ? m.Groups["prenum"].Value.TrimStart('0') : "";
            pre = kind + "." + (number.Length == 0 ? "0" : number);
        }
        return new Pep440Version(release, pre, m.Groups["post"].Success, m.Groups["dev"].Success);
    }

    /// <summary>The NuGet version that sorts like this version against every final Python release.</summary>
    public NuGetVersion ToNuGetVersion()
    {
        if (PreRelease is not null) return new NuGetVersion(Major, Minor, Patch, PreRelease);
        // A dev release of a final (X.Y.Z.devN) sorts below every pre-release of X.Y.Z, so it can
        // share their place just below X.Y.Z: no final release lies between them.
        if (IsDevRelease && !IsPostRelease) return new NuGetVersion(Major, Minor, Patch, "dev");
        if (IsPostRelease) return new NuGetVersion(Major, Minor, Patch, 1);
        return new NuGetVersion(Major, Minor, Patch);
    }

    /// <summary>The PEP 440 version grammar (the 'packaging' project's VERSION_PATTERN, anchored).</summary>
    [GeneratedRegex(@"^\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)"
        + @"(?<pre>[-_.]?(?<prekind>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<prenum>[0-9]+)?)?"
        + @"(?<post>-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
        + @"(?<dev>[-_.]?dev[-_.]?[0-9]*)?"
        + @"(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
