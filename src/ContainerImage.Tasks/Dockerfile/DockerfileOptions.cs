using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>How <see cref="DockerfileWriter"/> writes a Dockerfile; the defaults suit the engine's built-in frontend.</summary>
public sealed record DockerfileOptions
{
    /// <summary>The defaults: no <c># syntax=</c> line, environment secrets read from their mounted file.</summary>
    public static DockerfileOptions Default { get; } = new();

    /// <summary>
    /// An image for a <c># syntax=</c> first line (e.g. <c>docker/dockerfile:1.10</c>), or <c>null</c> for none.
    /// Off by default: the line makes BuildKit pull that frontend image, which fails where the registry is unreachable.
    /// </summary>
    public string? Syntax { get; init; }

    /// <summary>
    /// Mount environment-variable secrets with <c>--mount=type=secret,...,env=NAME</c>. That needs a
    /// Dockerfile frontend of 1.10 or later (set <see cref="Syntax"/>): the frontend built into
    /// BuildKit 0.13 refuses the key ("unexpected key 'env'"), so by default such a secret is mounted
    /// as a file under <c>/run/secrets/</c> and exported from it by the RUN step's shell.
    /// </summary>
    public bool SecretEnvironmentMounts { get; init; }

    /// <summary>
    /// Copy the chunks after a large source folder's first with <c>COPY --link</c>, so a changed file re-creates its own
    /// chunk only. Only for a build whose layers the SDK rewrites afterwards (<see cref="Build.LayerRetimer"/> with the
    /// <see cref="DockerfileWriter.WriteLinked"/> chunks): a linked layer carries the destination's folder chain and is
    /// owned by root, which the rewrite corrects; built as it is, the image's folders would differ from the declared
    /// ones. Off by default; written only where the destination's absolute path is known (<see cref="WorkingDirectory"/>).
    /// </summary>
    public bool LinkChunks { get; init; }

    /// <summary>Checks the options; throws <see cref="ContainerImage.Diagnostics.ImageDefinitionException"/> for a bad syntax image.</summary>
    internal DockerfileOptions Validate()
    {
        if (Syntax is not null) _ = ImageReference.Parse(Syntax);
        return this;
    }
}
