using System.Text;
using ContainerImage.Diagnostics;

namespace ContainerImage.Tasks;

/// <summary>
/// One image folder (<c>$(ImageIntermediateOutputPath)&lt;ImageName&gt;/</c>) belongs to one project. Two
/// projects reach the same folder when they sit in one directory with the same ImageName, or share an
/// ImageIntermediateOutputPath: each would then overwrite the other's Dockerfile, context and buildx
/// files, and with <c>-m</c> build a Dockerfile the other project wrote. The first project to generate
/// claims the folder in <see cref="FileName"/>; any other project gets CIMG5120.
/// </summary>
public static class ImageFolderClaim
{
    /// <summary>The file in the image folder naming the project that owns it.</summary>
    public const string FileName = "project.txt";

    /// <summary>
    /// Claims <paramref name="directory"/> for <paramref name="projectFile"/>, or throws CIMG5120 when another
    /// project holds it. The project is recorded relative to the folder, so a copied or moved tree (obj/ inside
    /// the project, as by default) still matches; a claim by a project file that no longer exists is taken over.
    /// </summary>
    public static void Claim(string directory, string projectFile, string imageName)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, FileName);
        var mine = Path.GetRelativePath(directory, Path.GetFullPath(projectFile)).Replace('\\', '/');
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreate(file, mine)) return;
            var owner = ReadOwner(file);
            if (owner == mine) return;
            if (owner is null || !File.Exists(Path.GetFullPath(owner, directory)))
            {
                // Left empty by a build killed while claiming, or its owner is gone (renamed or deleted
                // project): nothing can race with it any more, so the folder is free.
                File.Delete(file);
                continue;
            }
            throw new ImageDefinitionException(DiagnosticCodes.ImageFolderShared, directory, imageName, Path.GetFullPath(owner, directory));
        }
        throw new ImageDefinitionException(DiagnosticCodes.ImageFolderShared, directory, imageName, ReadOwner(file) ?? "(unknown)");
    }

    // O_CREAT|O_EXCL: of projects claiming at once exactly one creates the file. The name ends with a
    // newline, so a reader can tell a whole name from one still being written.
    private static bool TryCreate(string file, string owner)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(new UTF8Encoding(false).GetBytes(owner + "\n"));
            return true;
        }
        catch (IOException) when (File.Exists(file))
        {
            return false;
        }
    }

    // The winner writes its name right after creating the file: wait up to a second for the whole line.
    private static string? ReadOwner(string file)
    {
        for (var wait = 0; wait < 50; wait++)
        {
            try
            {
                var text = File.ReadAllText(file);
                if (text.EndsWith('\n')) return text.Trim();
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            Thread.Sleep(20);
        }
        return null;
    }
}
