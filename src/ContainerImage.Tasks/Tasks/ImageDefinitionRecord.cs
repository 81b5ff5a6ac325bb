using System.Text.Json;
using ContainerImage.Model;

namespace ContainerImage.Tasks;

/// <summary>One secret as persisted: where the build machine reads it and how the RUN step sees it (never its value).</summary>
/// <param name="Id">The BuildKit id.</param>
/// <param name="EnvironmentVariable">The variable the step sees, or null.</param>
/// <param name="MountPath">The file path the step sees, or null.</param>
/// <param name="FromFile">True when the value is read from a file, else from an environment variable.</param>
/// <param name="Source">The file path or variable name on the build machine.</param>
public sealed record SecretRecord(string Id, string? EnvironmentVariable, string? MountPath, bool FromFile, string Source)
{
    /// <summary>The record of <paramref name="secret"/>.</summary>
    public static SecretRecord From(Secret secret)
        => new(secret.Id, secret.EnvironmentVariable, secret.MountPath, secret.SourceKind == SecretSourceKind.File, secret.Source);

    /// <summary>The model secret again.</summary>
    public Secret ToSecret()
    {
        var secret = MountPath is not null ? Secret.AsFile(Id, MountPath) : Secret.AsEnvironmentVariable(Id, EnvironmentVariable);
        return FromFile ? secret.FromFile(Source) : secret.FromEnvironment(Source);
    }
}

/// <summary>
/// What GenerateImageDefinition leaves in obj/ (<c>image.json</c>) for PublishContainerImage, which
/// must work when generation was skipped as up to date.
/// </summary>
/// <param name="Uri">The image URI.</param>
/// <param name="Identifier">The content identifier.</param>
/// <param name="Registry">The registry, or null.</param>
/// <param name="DockerfilePath">The Dockerfile to build.</param>
/// <param name="ContextDirectory">The build context folder.</param>
/// <param name="Platforms">The platforms, as 'os/arch[/variant]'.</param>
/// <param name="Secrets">The secrets the build needs.</param>
public sealed record ImageDefinitionRecord(string Uri, string Identifier, string? Registry, string DockerfilePath,
    string ContextDirectory, IReadOnlyList<string> Platforms, IReadOnlyList<SecretRecord> Secrets)
{
    /// <summary>
    /// The registry image the generated Dockerfile starts FROM (existing-image, Debian and uv-script bases),
    /// checked for every platform before building; null for a user's Dockerfile or a derived image.
    /// </summary>
    public string? BaseImage { get; init; }

    /// <summary>The Dockerfile with linked chunks (<c>Dockerfile.linked</c>) for a build whose layers the SDK rewrites, or null.</summary>
    public string? LinkedDockerfilePath { get; init; }

    /// <summary>The chunks <see cref="LinkedDockerfilePath"/> copies with <c>COPY --link</c>, or null.</summary>
    public IReadOnlyList<Build.LinkedChunk>? LinkedChunks { get; init; }

    /// <summary>The JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TaskJsonContext.Default.ImageDefinitionRecord) + "\n";

    /// <summary>Reads a record; throws on a missing or malformed file.</summary>
    public static ImageDefinitionRecord Read(string path)
        => JsonSerializer.Deserialize(File.ReadAllText(path), TaskJsonContext.Default.ImageDefinitionRecord)
            ?? throw new JsonException("the file is empty");
}
