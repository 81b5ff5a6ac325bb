namespace ContainerImage.Python;

/// <summary>PLACEHOLDER CONTRACT (replaced by the Python work): pip requirements files and their includes.</summary>
public static class RequirementsFile
{
    /// <summary>
    /// The requirements file and every file it includes with <c>-r</c>/<c>-c</c> (and long forms),
    /// transitively: absolute paths, main file first, then includes in first-seen order.
    /// Throws a coded ImageDefinitionException for a missing include or an include cycle.
    /// </summary>
    public static IReadOnlyList<string> CollectFiles(string requirementsPath) => throw new InvalidOperationException("placeholder contract");
}
