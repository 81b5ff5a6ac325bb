using System.Globalization;
using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>A Python <c>major.minor</c> version, the granularity images are built for.</summary>
/// <param name="Major">The major version.</param>
/// <param name="Minor">The minor version.</param>
public readonly partial record struct PythonVersion(int Major, int Minor) : IComparable<PythonVersion>
{
    /// <summary>
    /// The documented fixed default (never sniffed from the build machine, so an identifier does not
    /// depend on which Python the build machine happens to have).
    /// </summary>
    public static PythonVersion Default { get; } = new(3, 12);

    /// <summary>The versions an image can be built for, oldest first; used to resolve <c>requires-python</c>.</summary>
    public static IReadOnlyList<PythonVersion> Supported { get; } =
        [new(3, 9), new(3, 10), new(3, 11), new(3, 12), new(3, 13), new(3, 14)];

    /// <summary>Parses <c>3.12</c>; throws <see cref="DiagnosticCodes.InvalidPythonVersion"/>.</summary>
    public static PythonVersion Parse(string text)
    {
        var m = Pattern().Match(text ?? "");
        if (!m.Success)
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidPythonVersion, text);
        }
        return new PythonVersion(
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public int CompareTo(PythonVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <inheritdoc/>
    public override string ToString() => $"{Major}.{Minor}";

    [GeneratedRegex(@"^\s*([1-9][0-9]?)\.(0|[1-9][0-9]?)\s*\z")]
    private static partial Regex Pattern();
}
