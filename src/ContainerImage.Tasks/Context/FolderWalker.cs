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
    private readonly DockerIgnoreMatcher _ignore;
    private readonly List<WalkedFile> _files = [];
    private readonly int? _layerIndex;

    private FolderWalker(string root, string realRoot, DockerIgnoreMatcher ignore, int? layerIndex)
    {
        _layerIndex = layerIndex;
        _root = root;
        _realRoot = realRoot;
        _ignore = ignore;
    }

    /// <summary>The files of <paramref name="folder"/> (which must exist), ordered by relative path (ordinal); errors carry <paramref name="layerIndex"/>.</summary>
    public static IReadOnlyList<WalkedFile> Walk(string folder, DockerIgnoreMatcher ignore, int? layerIndex)
    {
        var root = Path.GetFullPath(folder);
        var realRoot = RealPath.Resolve(root) ?? throw LayerError.At(layerIndex, DiagnosticCodes.SymbolicLinkLoop, root, root);
        if (!Directory.Exists(realRoot)) throw LayerError.At(layerIndex, DiagnosticCodes.DirectoryNotFound, root);
        var walker = new FolderWalker(root, realRoot, ignore, layerIndex);
        walker.WalkRoot();
        walker._files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return walker._files;
    }

    // The top level, with its plain subfolders walked in parallel: a large tree's walk is one stat per file
    // (kernel time that spreads over cores). The outcome is the sequential walk's: entries are taken in
    // order afterwards, and the first entry (in that order) whose walk failed reports its error.
    private void WalkRoot()
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
                var child = new FolderWalker(_root, _realRoot, _ignore, _layerIndex);
                try
                {
                    child.Visit(entries[i], _root, "", [_realRoot]);
                    parallel[i] = (child, null);
                }
                catch (Exception e) when (e is Diagnostics.ImageDefinitionException or IOException or UnauthorizedAccessException)
                {
                    parallel[i] = (child, e);
                }
            });
        }
        for (var i = 0; i < entries.Count; i++)
        {
            if (parallel[i] is not { } done)
            {
                Visit(entries[i], _root, "", [_realRoot]);
                continue;
            }
            if (done.Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(done.Error);
            _files.AddRange(done.Walker._files);
        }
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

    private void WalkFolder(string logicalFolder, string realFolder, string prefix, HashSet<string> ancestors)
    {
        foreach (var entry in Entries(realFolder)) Visit(entry, logicalFolder, prefix, ancestors);
    }

    private void Visit(FileSystemInfo entry, string logicalFolder, string prefix, HashSet<string> ancestors)
    {
        var logical = Path.Combine(logicalFolder, entry.Name);
        var relative = prefix + entry.Name;
        var real = entry.FullName;
        var target = entry;
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            real = RealPath.Resolve(real) ?? throw LayerError.At(_layerIndex, DiagnosticCodes.SymbolicLinkLoop, _root, relative);
            if (!RealPath.IsInside(real, _realRoot)) throw LayerError.At(_layerIndex, DiagnosticCodes.InputOutsideFolder, logical, _root);
            target = Directory.Exists(real) ? new DirectoryInfo(real) : new FileInfo(real);
            if (!target.Exists) throw LayerError.At(_layerIndex, DiagnosticCodes.FileNotFound, "target of symbolic link", logical);
        }
        var isFolder = target is DirectoryInfo;
        if (_ignore.IsExcluded(logical) && (!isFolder || _ignore.CanSkipDirectory(logical))) return;
        if (isFolder)
        {
            // A folder reached again below itself (through a link) would never end.
            if (ancestors.Contains(real)) throw LayerError.At(_layerIndex, DiagnosticCodes.SymbolicLinkLoop, _root, relative);
            ancestors.Add(real);
            WalkFolder(logical, real, relative + "/", ancestors);
            ancestors.Remove(real);
        }
        else if (target is FileInfo file)
        {
            var executable = !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;
            _files.Add(new WalkedFile(real, relative, file.Length, file.LastWriteTimeUtc, executable));
        }
    }
}
