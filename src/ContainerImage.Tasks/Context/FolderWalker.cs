using ContainerImage.Diagnostics;

namespace ContainerImage.Context;

/// <summary>One regular file found by <see cref="FolderWalker"/>.</summary>
/// <param name="RealPath">The file with every link resolved (what is read, linked and hashed).</param>
/// <param name="RelativePath">Its '/'-separated path below the walked folder, as seen through links.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="LastWriteTimeUtc">Its modification time.</param>
/// <param name="IsExecutable">Whether the owner may execute it.</param>
internal sealed record WalkedFile(string RealPath, string RelativePath, long Length, DateTime LastWriteTimeUtc, bool IsExecutable);

/// <summary>
/// Lists the files of a folder after ignore rules, deterministically. Symbolic links: a link to a file
/// or folder inside the walked folder is followed (its content is copied, like a plain file or folder);
/// a link that resolves outside the folder is CIMG4005; a link loop is CIMG4004; a dangling link is
/// CIMG4001.
/// </summary>
internal sealed class FolderWalker
{
    private readonly string _root;
    private readonly string _realRoot;
    private readonly List<WalkedFile> _files = [];
    private readonly int? _layerIndex;

    private FolderWalker(string root, string realRoot, int? layerIndex)
    {
        _layerIndex = layerIndex;
        _root = root;
        _realRoot = realRoot;
    }

    /// <summary>The files of <paramref name="folder"/> (which must exist), ordered by relative path (ordinal); errors carry <paramref name="layerIndex"/>.</summary>
    public static IReadOnlyList<WalkedFile> Walk(string folder, DockerIgnoreMatcher ignore, int? layerIndex) => Walk(folder, ignore, layerIndex, null);

    /// <summary>
    /// The files of <paramref name="folder"/>, as <see cref="Walk(string, DockerIgnoreMatcher, int?)"/>; <paramref name="listed"/>
    /// (when given) receives each part of the result as soon as it is complete (a top-level folder's files, from
    /// any thread, in no particular order), so hashing can start while the rest is still being walked. Every
    /// file of the result is passed exactly once when the walk succeeds; a failed walk may have passed some.
    /// </summary>
    public static IReadOnlyList<WalkedFile> Walk(string folder, DockerIgnoreMatcher ignore, int? layerIndex, Action<IReadOnlyList<WalkedFile>>? listed)
    {
        var root = Path.GetFullPath(folder);
        var realRoot = RealPath.Resolve(root) ?? throw LayerError.At(layerIndex, DiagnosticCodes.SymbolicLinkLoop, root, root);
        if (!Directory.Exists(realRoot)) throw LayerError.At(layerIndex, DiagnosticCodes.DirectoryNotFound, root);
        var walker = new FolderWalker(root, realRoot, layerIndex);
        walker.WalkRoot(ignore.ForWalk(root), listed);
        // Entries are visited in name order (which decides the first error), and that is path order unless a
        // folder's name starts a sibling's name with a character below '/' ("a" and "a.txt"): usually a check.
        if (!IsSorted(walker._files)) walker._files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return walker._files;
    }

    private static bool IsSorted(List<WalkedFile> files)
    {
        for (var i = 1; i < files.Count; i++)
        {
            if (string.CompareOrdinal(files[i - 1].RelativePath, files[i].RelativePath) > 0) return false;
        }
        return true;
    }

    // The top level, with its plain subfolders walked in parallel: a large tree's walk is one stat per file
    // (kernel time that spreads over cores). The outcome is the sequential walk's: entries are taken in
    // order afterwards, and the first entry (in that order) whose walk failed reports its error.
    private void WalkRoot(IgnoreFolder ignore, Action<IReadOnlyList<WalkedFile>>? listed)
    {
        var entries = Entries(_realRoot);
        var parallel = new (FolderWalker Walker, Exception? Error)?[entries.Count];
        var folders = Enumerable.Range(0, entries.Count)
            .Where(i => entries[i] is DirectoryInfo && (entries[i].Attributes & FileAttributes.ReparsePoint) == 0)
            .ToList();
        if (folders.Count >= 2)
        {
            Parallel.ForEach(folders, i =>
            {
                var child = new FolderWalker(_root, _realRoot, _layerIndex);
                try
                {
                    child.Visit(entries[i], _root, "", ignore, [_realRoot]);
                    parallel[i] = (child, null);
                }
                catch (Exception e) when (e is Diagnostics.ImageDefinitionException or IOException or UnauthorizedAccessException)
                {
                    parallel[i] = (child, e);
                    return;
                }
                if (listed is not null && child._files.Count > 0) listed(child._files);
            });
        }
        var own = listed is null ? null : new List<WalkedFile>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (parallel[i] is not { } done)
            {
                var before = _files.Count;
                Visit(entries[i], _root, "", ignore, [_realRoot]);
                own?.AddRange(_files.Skip(before));
                continue;
            }
            if (done.Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(done.Error);
            _files.AddRange(done.Walker._files);
        }
        if (own is { Count: > 0 }) listed!(own);
    }

    // The enumeration's own entries: their type comes from the directory listing and their size,
    // time and mode from one lstat, instead of several stat calls per file (20,000-file trees).
    private static List<FileSystemInfo> Entries(string realFolder)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        var entries = new DirectoryInfo(realFolder).EnumerateFileSystemInfos("*", options).ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    private void WalkFolder(string logicalFolder, string realFolder, string prefix, IgnoreFolder ignore, HashSet<string> ancestors)
    {
        foreach (var entry in Entries(realFolder)) Visit(entry, logicalFolder, prefix, ignore, ancestors);
    }

    // 'ignore' holds the rules' state for the entry's folder: the entry is matched by its relative path, and
    // the logical (through links) absolute path is only built for folders and error messages.
    private void Visit(FileSystemInfo entry, string logicalFolder, string prefix, IgnoreFolder ignore, HashSet<string> ancestors)
    {
        var relative = prefix + entry.Name;
        var real = entry.FullName;
        var target = entry;
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            var logical = Path.Combine(logicalFolder, entry.Name);
            real = RealPath.Resolve(real) ?? throw LayerError.At(_layerIndex, DiagnosticCodes.SymbolicLinkLoop, _root, relative);
            if (!RealPath.IsInside(real, _realRoot)) throw LayerError.At(_layerIndex, DiagnosticCodes.InputOutsideFolder, logical, _root);
            target = Directory.Exists(real) ? new DirectoryInfo(real) : new FileInfo(real);
            if (!target.Exists) throw LayerError.At(_layerIndex, DiagnosticCodes.FileNotFound, "target of symbolic link", logical);
        }
        if (target is DirectoryInfo)
        {
            var inside = ignore.Child(relative);
            if (inside.SkipsEverything) return;
            // A folder reached again below itself (through a link) would never end.
            if (ancestors.Contains(real)) throw LayerError.At(_layerIndex, DiagnosticCodes.SymbolicLinkLoop, _root, relative);
            ancestors.Add(real);
            WalkFolder(Path.Combine(logicalFolder, entry.Name), real, relative + "/", inside, ancestors);
            ancestors.Remove(real);
        }
        else if (target is FileInfo file)
        {
            if (ignore.Excludes(relative)) return;
            var executable = !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;
            _files.Add(new WalkedFile(real, relative, file.Length, file.LastWriteTimeUtc, executable));
        }
    }
}
