namespace ContainerImage.Context;

/// <summary>What <see cref="ContextWriter.Write"/> did.</summary>
/// <param name="FilesWritten">Files linked or copied because they were new or changed.</param>
/// <param name="FilesUnchanged">Files already up to date.</param>
/// <param name="FilesDeleted">Stale files removed.</param>
/// <param name="BytesWritten">Bytes copied (hard links count zero).</param>
public sealed record ContextWriteResult(int FilesWritten, int FilesUnchanged, int FilesDeleted, long BytesWritten);

/// <summary>PLACEHOLDER CONTRACT (replaced by the context work): lays a plan out in a folder.</summary>
public static class ContextWriter
{
    /// <summary>Makes <paramref name="contextDirectory"/> hold exactly the plan's layer files (hard link, else copy; unchanged files untouched; stale ones deleted).</summary>
    public static ContextWriteResult Write(ContextPlan plan, string contextDirectory) => throw new InvalidOperationException("placeholder contract");
}
