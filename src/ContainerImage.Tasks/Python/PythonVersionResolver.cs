using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Python;

/// <summary>
/// Chooses the Python version an image is built for from a <c>requires-python</c> specifier.
/// The rule (docs/python.md): no specifier, or an empty one, gives <see cref="PythonVersion.Default"/>;
/// otherwise the default when it satisfies the specifier, else the HIGHEST version in
/// <see cref="PythonVersion.Supported"/> that does; none satisfies: <see cref="DiagnosticCodes.UnsatisfiableRequiresPython"/>.
/// The default is preferred so that adding a loose bound such as <c>&gt;=3.9</c> does not silently move
/// an image to the newest Python; the highest is chosen otherwise because it is supported longest.
/// </summary>
public static class PythonVersionResolver
{
    /// <summary>
    /// The chosen version for <paramref name="requiresPython"/>; <paramref name="source"/> names the
    /// file it came from, for messages.
    /// </summary>
    public static PythonVersion Resolve(string? requiresPython, string source)
    {
        if (string.IsNullOrWhiteSpace(requiresPython)) return PythonVersion.Default;
        var specifier = PythonSpecifierSet.Parse(requiresPython, source);
        if (specifier.IsSatisfiedBy(PythonVersion.Default)) return PythonVersion.Default;
        foreach (var candidate in PythonVersion.Supported.OrderByDescending(v => v))
        {
            if (specifier.IsSatisfiedBy(candidate)) return candidate;
        }
        throw new ImageDefinitionException(DiagnosticCodes.UnsatisfiableRequiresPython, requiresPython, source,
            string.Join(", ", PythonVersion.Supported));
    }
}
