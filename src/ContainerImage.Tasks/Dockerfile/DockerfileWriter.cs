using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>
/// Writes the Dockerfile of an image whose base is a Debian image or an existing image, with its
/// build context laid out as a <see cref="ContextPlan"/> says. Pure: the same model, plan and
/// options always give byte-identical text (LF endings, trailing newline, no timestamps, no host
/// paths, nothing from the image's registry, name or tag).
/// </summary>
public static class DockerfileWriter
{
    /// <summary>The Dockerfile for <paramref name="image"/> with the default <see cref="DockerfileOptions"/>.</summary>
    /// <exception cref="ArgumentException">The image is built from the user's own Dockerfile
    /// (<see cref="DockerfileBase"/>), which is used as it is: callers must not ask for a generated one;
    /// or the plan lacks the context of a layer that needs files.</exception>
    public static string Write(Image image, ContextPlan plan) => Write(image, plan, DockerfileOptions.Default);

    /// <summary>The Dockerfile for <paramref name="image"/>, written with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write(Image, ContextPlan)"/>.</exception>
    /// <exception cref="Diagnostics.ImageDefinitionException">A value that cannot be written, e.g. a
    /// Debian base user that <c>useradd</c> cannot create, or a bad <see cref="DockerfileOptions.Syntax"/>.</exception>
    public static string Write(Image image, ContextPlan plan, DockerfileOptions options) => Composer(image, plan, options).Compose();

    /// <summary>
    /// The Dockerfile with <see cref="DockerfileOptions.LinkChunks"/> set, for a build whose layers the SDK rewrites
    /// (<see cref="Build.LayerRetimer"/>), and the chunks it links; null when no chunk can be linked (no large source
    /// folder, or none whose destination's absolute path is known), so the build uses <see cref="Write(Image, ContextPlan, DockerfileOptions)"/>'s text.
    /// </summary>
    /// <exception cref="ArgumentException">See <see cref="Write(Image, ContextPlan)"/>.</exception>
    public static LinkedDockerfile? WriteLinked(Image image, ContextPlan plan, DockerfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var composer = Composer(image, plan, options with { LinkChunks = true });
        var text = composer.Compose();
        return composer.LinkedChunks.Count == 0 ? null : new LinkedDockerfile(text, composer.LinkedChunks);
    }

    private static DockerfileComposer Composer(Image image, ContextPlan plan, DockerfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        if (image.Base is DockerfileBase dockerfile)
        {
            throw new ArgumentException(
                $"The image is built from the Dockerfile '{dockerfile.DockerfilePath}' as it is; no Dockerfile is generated for it.", nameof(image));
        }
        return new DockerfileComposer(image, plan, options.Validate());
    }
}
