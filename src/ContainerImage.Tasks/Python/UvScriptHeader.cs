using ContainerImage.Model;

namespace ContainerImage.Python;

/// <summary>PLACEHOLDER CONTRACT (replaced by the Python work): a uv script's PEP 723 metadata.</summary>
/// <param name="RequiresPython">The <c>requires-python</c> specifier, when present.</param>
/// <param name="Dependencies">The <c>dependencies</c>, in order.</param>
public sealed record UvScriptHeader(string? RequiresPython, ValueArray<string> Dependencies)
{
    /// <summary>Reads the <c># /// script</c> block of <paramref name="path"/>.</summary>
    public static UvScriptHeader Read(string path) => throw new InvalidOperationException("placeholder contract");

    /// <summary>The Python version chosen for <see cref="RequiresPython"/>.</summary>
    public PythonVersion ResolvePythonVersion() => throw new InvalidOperationException("placeholder contract");
}
