namespace ContainerImage.Python;

/// <summary>PLACEHOLDER CONTRACT (replaced by the Python work): reads a uv.lock.</summary>
public static class UvLockFile
{
    /// <summary>
    /// The locked third-party packages of the project as pinned requirements (<c>name==version</c>),
    /// sorted ordinally, excluding the project itself and other local/editable/virtual sources.
    /// </summary>
    public static IReadOnlyList<string> ReadLockedRequirements(string uvLockPath, string pyprojectPath) => throw new InvalidOperationException("placeholder contract");
}
