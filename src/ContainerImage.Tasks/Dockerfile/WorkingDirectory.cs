using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>
/// The working directory a generated Dockerfile's steps run in, where it is known without the base image's config:
/// the Debian header's <c>WORKDIR /home/&lt;user&gt;</c>, a parent image's last one, and the image's own Workdir
/// layers. Null means unknown (an existing image's own WORKDIR, a path with a variable in it): then nothing that
/// needs the absolute path (a linked chunk, <see cref="DockerfileOptions.LinkChunks"/>) is written.
/// </summary>
internal static class WorkingDirectory
{
    /// <summary>The working directory before the first of <paramref name="image"/>'s layers.</summary>
    public static string? Initial(Image image) => image.Base switch
    {
        DebianBase debian => "/home/" + debian.User,
        ParentImageBase parent => Final(parent.Parent),
        _ => null,
    };

    /// <summary>The working directory after <paramref name="image"/>'s last layer.</summary>
    public static string? Final(Image image)
        => image.Layers.OfType<WorkdirLayer>().Aggregate(Initial(image), (current, workdir) => Resolve(current, workdir.Path));

    /// <summary>
    /// <paramref name="path"/> as an absolute, clean path from <paramref name="current"/> (how WORKDIR and a COPY
    /// destination read a relative path), or null when either is unknown or the path holds a variable.
    /// </summary>
    public static string? Resolve(string? current, string path)
    {
        if (path.Contains('$')) return null;
        var combined = path.StartsWith('/') ? path : current is null ? null : current + "/" + path;
        if (combined is null) return null;
        var segments = new List<string>();
        foreach (var segment in combined.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return "/" + string.Join('/', segments);
    }
}
