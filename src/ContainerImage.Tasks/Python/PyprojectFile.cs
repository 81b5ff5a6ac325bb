using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Python;

/// <summary>What the image model needs from a <c>pyproject.toml</c>: its <c>[project]</c> table.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Name">The <c>[project] name</c>; null when the file has no <c>[project]</c> table (a virtual uv workspace root).</param>
/// <param name="RequiresPython">The <c>[project] requires-python</c>, when present.</param>
/// <param name="Dependencies">The <c>[project] dependencies</c>, in order.</param>
public sealed record PyprojectFile(string Path, string? Name, string? RequiresPython, ValueArray<string> Dependencies)
{
    /// <summary>
    /// Reads <paramref name="path"/>. Throws <see cref="DiagnosticCodes.FileNotFound"/> when it is missing,
    /// <see cref="DiagnosticCodes.InvalidPyproject"/> for invalid TOML, a <c>[project]</c> table without a
    /// name, or a value of the wrong type, and <see cref="DiagnosticCodes.InvalidRequiresPython"/> for a
    /// <c>requires-python</c> that is not PEP 440.
    /// </summary>
    public static PyprojectFile Read(string path)
    {
        var fullPath = TomlText.FullPath(path, "pyproject.toml");
        var text = TomlText.ReadFile(fullPath, "pyproject.toml");
        ImageDefinitionException Fail(string reason) => new(DiagnosticCodes.InvalidPyproject, fullPath, reason);

        var document = TomlText.Parse(text, 1, Fail);
        var project = TomlText.OptionalTable(document, "project", "", Fail);
        if (project is null) return new PyprojectFile(fullPath, null, null, ValueArray<string>.Empty);

        var name = TomlText.OptionalString(project, "name", "project.", Fail);
        if (string.IsNullOrWhiteSpace(name)) throw Fail("'[project]' has no 'name'; add one (PEP 621)");
        if (!PackageName.IsValid(name)) throw Fail($"'project.name' '{name}' is not a valid Python package name");
        var requiresPython = TomlText.OptionalString(project, "requires-python", "project.", Fail);
        var dependencies = TomlText.OptionalRequirements(project, "dependencies", "project.", Fail);
        if (!string.IsNullOrWhiteSpace(requiresPython)) PythonSpecifierSet.Parse(requiresPython, fullPath);
        return new PyprojectFile(fullPath, name, requiresPython, dependencies.ToValueArray());
    }

    /// <summary>The Python version chosen for <see cref="RequiresPython"/> (same rule as a uv script).</summary>
    public PythonVersion ResolvePythonVersion() => PythonVersionResolver.Resolve(RequiresPython, Path);
}
