using System.Text;

namespace ContainerImage.Tasks;

/// <summary>Writes output files only when their content changes, so timestamps (and incremental builds) stay quiet.</summary>
public static class OutputFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> unless it already holds exactly that; returns whether it wrote.</summary>
    public static bool WriteIfChanged(string path, string content)
    {
        var bytes = Utf8NoBom.GetBytes(content);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.AsSpan().SequenceEqual(bytes)) return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Write beside and move, so a reader (or a cancelled build) never sees half a file.
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <summary>Deletes <paramref name="path"/> if it exists.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
