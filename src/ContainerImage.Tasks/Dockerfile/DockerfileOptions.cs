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

    /// <summary>Checks the options; throws <see cref="ContainerImage.Diagnostics.ImageDefinitionException"/> for a bad syntax image.</summary>
    internal DockerfileOptions Validate()
    {
        if (Syntax is not null) _ = ImageReference.Parse(Syntax);
        return this;
    }
}
