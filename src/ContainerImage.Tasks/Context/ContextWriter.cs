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
            if (existing.Exists && existing.LinkTarget is null && IsSame(source, existing, file.IsExecutable))
            {
                unchanged++;
                continue;
            }
            if (existing.Exists || existing.LinkTarget is not null) existing.Delete();
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            written++;
            // A link shares the source's mode, so only a source whose mode is already normal may be linked.
            if (HasNormalMode(source.FullName, file.IsExecutable) && HardLink.TryCreate(source.FullName, target)) continue;
            CopyAtomically(source, target, file.IsExecutable);
            bytes += source.Length;
        }
        NormalizeFolderModes(layersRoot);
        return new ContextWriteResult(written, unchanged, deleted, bytes);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a temporary file beside <paramref name="target"/>, gives it the
    /// source's time and the normal mode, then renames it into place: a full disk or a killed build leaves
    /// no half-copied file that a later run (comparing size and time) could take for a complete one.
    /// </summary>
    private static void CopyAtomically(FileInfo source, string target, bool isExecutable) => AtomicFile.Replace(target, temporary =>
    {
        File.Copy(source.FullName, temporary);
        File.SetLastWriteTimeUtc(temporary, source.LastWriteTimeUtc);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, NormalMode(isExecutable));
    });

    /// <summary>
    /// The mode a context file gets: 0755 when it has an execute bit, else 0644. COPY keeps a file's mode in
    /// the layer, so without this the build machine's umask (0644 vs 0664 vs 0600) would change the image
    /// digest although the identifier (which records the execute bit only) stays the same.
    /// </summary>
    public static UnixFileMode NormalMode(bool isExecutable)
        => isExecutable
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
              | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static bool HasNormalMode(string path, bool isExecutable)
        => OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == NormalMode(isExecutable);

    // Folders are copied with their modes too (COPY layers/3/ /app/ makes /app's subfolders), and the
    // writer created them under the build machine's umask: all become 0755.
    private static void NormalizeFolderModes(string layersRoot)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(layersRoot)) return;
        var folderMode = NormalMode(isExecutable: true);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var folder in Directory.EnumerateDirectories(layersRoot, "*", options).Append(layersRoot))
        {
            if (File.GetUnixFileMode(folder) != folderMode) File.SetUnixFileMode(folder, folderMode);
        }
    }

    // A hard link shares size, time and mode with its source; a copy was given the source's time and
    // the normal mode for its execute bit. A source changed in place or replaced differs in size or
    // time; one whose execute bit or mode changed no longer matches the normal mode (a link then
    // carries the new mode, a copy the old execute bit).
    private static bool IsSame(FileInfo source, FileInfo existing, bool isExecutable)
        => source.Length == existing.Length
           && source.LastWriteTimeUtc == existing.LastWriteTimeUtc
           && HasNormalMode(existing.FullName, isExecutable);


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
