namespace ContainerImage.Tests.Context;

/// <summary>A temporary folder tree for a test, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "cimg-ctx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The absolute path of a '/'-separated relative path.</summary>
    public string Path_(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Writes a file (creating folders), optionally executable; returns its absolute path.</summary>
    public string Write(string relative, string content, bool executable = false)
    {
        var path = Path_(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }

    /// <summary>Creates folder <paramref name="relative"/>; returns its absolute path.</summary>
    public string Folder(string relative) => Directory.CreateDirectory(Path_(relative)).FullName;

    /// <summary>Creates a symbolic link at <paramref name="relative"/> with the literal <paramref name="target"/>.</summary>
    public void Link(string relative, string target)
    {
        var path = Path_(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }

    /// <summary>Copies the whole tree (links as links, times and modes kept) to a new temporary tree.</summary>
    public TempTree CopyTo()
    {
        var copy = new TempTree();
        Copy(new DirectoryInfo(Root), copy.Root);
        return copy;
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is not null) File.CreateSymbolicLink(target, entry.LinkTarget);
            else if (entry is DirectoryInfo dir) Copy(dir, target);
            else
            {
                File.Copy(entry.FullName, target);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(entry.FullName));
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
