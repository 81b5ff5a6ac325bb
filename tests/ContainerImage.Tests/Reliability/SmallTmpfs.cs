using System.Diagnostics;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// A tiny tmpfs mounted on a fresh temp folder, to make a disk really full. Needs root (the test
/// machines and CI run as root); when mount is refused the test is inconclusive and says why.
/// Unmounted and removed on dispose.
/// </summary>
internal sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "64k"), or makes the test inconclusive when mounting is refused.</summary>
    public static SmallTmpfs Mount(string size)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cimg-faults-tmpfs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Inconclusive($"A full disk needs a small tmpfs, and 'mount -t tmpfs' was refused here ({output.Trim()}); run the tests as root to include this fault.");
        }
        return new SmallTmpfs(path);
    }

    /// <summary>Gives the file system <paramref name="size"/> (e.g. after freeing space).</summary>
    public void Resize(string size)
    {
        var (code, output) = Run("mount", "-o", "remount,size=" + size, Path);
        Assert.AreEqual(0, code, "remount failed: " + output);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        var (code, _) = Run("umount", Path);
        if (code != 0) Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp folder is harmless.
        }
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
