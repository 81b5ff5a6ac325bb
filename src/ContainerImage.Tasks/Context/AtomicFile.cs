namespace ContainerImage.Context;

/// <summary>
/// Replaces a file atomically: the new content goes to a uniquely named temporary file in the same folder,
/// which is then renamed over the target (a rename within one file system is atomic). A reader, a killed
/// build or a full disk (CIMG4100) never leaves half a file behind; on failure the old file stays as it was.
/// The one mechanism behind obj/ outputs, context files and the hash caches.
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces <paramref name="target"/> with what <paramref name="write"/> puts into a new stream (creating its folder).</summary>
    public static void Write(string target, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(target);
        Replace(full, temporary =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(stream);
        });
    }

    /// <summary>Replaces <paramref name="target"/> with the file <paramref name="createTemporary"/> creates at the path it is given.</summary>
    public static void Replace(string target, Action<string> createTemporary)
    {
        ArgumentNullException.ThrowIfNull(createTemporary);
        // A unique name: two writers of the same file (parallel builds) must not share a temporary file.
        var temporary = target + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp";
        try
        {
            createTemporary(temporary);
            File.Move(temporary, target, overwrite: true);
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            throw DiskFull.Error(target, e);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write already failed (or succeeded and moved it away).
        }
    }
}
