using System.Text.RegularExpressions;

namespace ContainerImage.Python;

/// <summary>Python package names: validity (PEP 508) and the normalized form (PEP 503) used to compare them.</summary>
public static partial class PackageName
{
    /// <summary>True for a valid distribution name.</summary>
    public static bool IsValid(string? name) => name is not null && name.Length <= 200 && Valid().IsMatch(name);

    /// <summary>Lowercase with every run of '-', '_' and '.' as one '-', so 'My_Pkg' equals 'my-pkg'.</summary>
    public static string Normalize(string name) => Separators().Replace(name, "-").ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex Valid();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex Separators();
}
