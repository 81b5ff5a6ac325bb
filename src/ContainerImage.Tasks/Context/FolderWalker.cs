using ContainerImage.Diagnostics;

namespace ContainerImage.Context;

/// <summary>One regular file found by <see cref="FolderWalker"/>.</summary>
/// <param name="RealPath">The file with every link resolved (what is read, linked and hashed).</param>
/// <param name="RelativePath">Its '/'-separated path below the walked folder, as seen through links.</param>
internal sealed record WalkedFile(string RealPath, string RelativePath);

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
        walker.WalkFolder(root, realRoot, "", [realRoot]);
        walker._files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return walker._files;
    }

    private void WalkFolder(string logicalFolder, string realFolder, string prefix, HashSet<string> ancestors)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        var names = Directory.EnumerateFileSystemEntries(realFolder, "*", options)
            .Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var logical = Path.Combine(logicalFolder, name);
            var real = Path.Combine(realFolder, name);
            var relative = prefix + name;
            var info = new FileInfo(real);
            if (info.LinkTarget is not null)
            {
                real = RealPath.Resolve(real) ?? throw LayerError.At(_layerIndex, DiagnosticCodes.SymbolicLinkLoop, _root, relative);
                if (!RealPath.IsInside(real, _realRoot)) throw LayerError.At(_layerIndex, DiagnosticCodes.InputOutsideFolder, logical, _root);
                if (!File.Exists(real) && !Directory.Exists(real))
                    throw LayerError.At(_layerIndex, DiagnosticCodes.FileNotFound, "target of symbolic link", logical);
            }
            var isFolder = Directory.Exists(real);
            if (_ignore.IsExcluded(logical) && (!isFolder || _ignore.CanSkipDirectory(logical))) continue;
            if (isFolder)
            {
                // A folder reached again below itself (through a link) would never end.
                if (ancestors.Contains(real)) throw LayerError.At(_layerIndex, DiagnosticCodes.SymbolicLinkLoop, _root, relative);
                ancestors.Add(real);
                WalkFolder(logical, real, relative + "/", ancestors);
                ancestors.Remove(real);
            }
            else if (File.Exists(real))
            {
                _files.Add(new WalkedFile(real, relative));
            }
        }
    }
}
