namespace ContainerImage.Context;

/// <summary>What <see cref="ContextWriter.Write"/> did.</summary>
/// <param name="FilesWritten">Files linked or copied because they were new or changed.</param>
/// <param name="FilesUnchanged">Files already up to date.</param>
/// <param name="FilesDeleted">Stale files removed.</param>
/// <param name="BytesWritten">Bytes copied (hard links count zero).</param>
public sealed record ContextWriteResult(int FilesWritten, int FilesUnchanged, int FilesDeleted, long BytesWritten);

/// <summary>
/// Lays a plan's layer files out in a build context folder, incrementally. Only the <c>layers/</c> folder
/// inside it is managed (so the caller's Dockerfile beside it is never touched): new or changed files are
/// hard-linked to their source (copied, with time and mode, when linking is impossible), unchanged ones
/// (same size, modification time and mode) are left alone, and anything else under <c>layers/</c> is deleted,
/// empty folders too. Files are replaced, never written through, so a hard link never changes a source.
/// </summary>
public static class ContextWriter
{
    /// <summary>Makes <paramref name="contextDirectory"/> hold exactly the plan's layer files (hard link, else copy; unchanged files untouched; stale ones deleted).</summary>
    public static ContextWriteResult Write(ContextPlan plan, string contextDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var root = Path.GetFullPath(contextDirectory);
        var layersRoot = Path.Combine(root, "layers");
        var expected = new Dictionary<string, ContextFile>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var file in plan.Layers.SelectMany(l => l.Files))
        {
            var target = Path.GetFullPath(Path.Combine(root, file.ContextPath.Replace('/', Path.DirectorySeparatorChar)));
            // The planner only makes layers/... paths; refuse anything else rather than write outside.
            if (!RealPath.IsInside(target, layersRoot) || target == layersRoot)
                throw new ArgumentException($"The context path '{file.ContextPath}' is not under 'layers/'.", nameof(plan));
            expected[target] = file;
        }

        var deleted = DeleteStale(layersRoot, expected);
        int written = 0, unchanged = 0;
        long bytes = 0;
        foreach (var (target, file) in expected)
        {
            var source = new FileInfo(file.SourcePath);
            var existing = new FileInfo(target);
            if (existing.Exists && existing.LinkTarget is null && IsSame(source, existing))
            {
                unchanged++;
                continue;
            }
            if (existing.Exists || existing.LinkTarget is not null) existing.Delete();
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            written++;
            if (HardLink.TryCreate(source.FullName, target)) continue;
            File.Copy(source.FullName, target, overwrite: true);
            File.SetLastWriteTimeUtc(target, source.LastWriteTimeUtc);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(source.FullName));
            bytes += source.Length;
        }
        return new ContextWriteResult(written, unchanged, deleted, bytes);
    }

    // A hard link shares size, time and mode with its source; a copy was given the source's time
    // and mode. A source changed in place or replaced differs in at least one of them.
    private static bool IsSame(FileInfo source, FileInfo existing)
        => source.Length == existing.Length
           && source.LastWriteTimeUtc == existing.LastWriteTimeUtc
           && (OperatingSystem.IsWindows() || File.GetUnixFileMode(source.FullName) == File.GetUnixFileMode(existing.FullName));

    private static int DeleteStale(string layersRoot, Dictionary<string, ContextFile> expected)
    {
        if (!Directory.Exists(layersRoot)) return 0;
        var deleted = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var path in Directory.EnumerateFileSystemEntries(layersRoot, "*", options).ToList())
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path) && info.LinkTarget is null) continue;
            if (expected.ContainsKey(path)) continue;
            if (!info.Exists && info.LinkTarget is null) continue; // already gone with a deleted link's folder
            info.Delete();
            deleted++;
        }
        // Deepest first, so a folder emptied by its children's removal goes too.
        foreach (var folder in Directory.EnumerateDirectories(layersRoot, "*", options).OrderByDescending(d => d.Length).Append(layersRoot))
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        return deleted;
    }
}
