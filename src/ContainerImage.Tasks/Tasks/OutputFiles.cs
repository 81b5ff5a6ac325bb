using System.Text;
using ContainerImage.Context;

namespace ContainerImage.Tasks;

/// <summary>
/// Writes output files only when their content changes (so timestamps and incremental builds stay
/// quiet), and atomically: a reader, a killed build or a full disk never leaves half a file behind.
/// </summary>
public static class OutputFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> unless it already holds exactly that;
    /// returns whether it wrote. Throws CIMG4100 when the disk is full; the old file is then left as it was.
    /// </summary>
    public static bool WriteIfChanged(string path, string content) => WriteIfChanged(path, Utf8NoBom.GetBytes(content));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> unless it already holds exactly those (see the string overload).</summary>
    public static bool WriteIfChanged(string path, byte[] bytes)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.AsSpan().SequenceEqual(bytes)) return false;
        }
        WriteAtomically(path, stream => stream.Write(bytes));
        return true;
    }

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> into a temporary file in the same
    /// folder, then renames it over <paramref name="path"/> (a rename within one file system is atomic).
    /// On any failure the temporary file is deleted and <paramref name="path"/> keeps its old content.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, write);

    /// <summary>Deletes <paramref name="path"/> if it exists.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
