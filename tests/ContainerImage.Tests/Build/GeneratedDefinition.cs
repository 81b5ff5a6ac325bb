using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// What GenerateImageDefinition leaves in an image's obj/ folder for the engine tests of the SDK's own pipeline: the
/// context, the Dockerfile and, when it links chunks, <c>Dockerfile.linked</c>; and the request PublishImage makes of it.
/// </summary>
internal static class GeneratedDefinition
{
    /// <summary>Writes the definition of <paramref name="image"/> into <paramref name="obj"/> (its context replaced) and returns the build request for it.</summary>
    public static BuildRequest Write(Image image, string obj, OutputMode output, string tag, string? archive = null)
    {
        var plan = ContextPlanner.Plan(image);
        var context = Path.Combine(obj, "context");
        if (Directory.Exists(context)) Directory.Delete(context, recursive: true);
        ContextWriter.Write(plan, context);
        var dockerfile = Path.Combine(obj, "Dockerfile");
        File.WriteAllText(dockerfile, DockerfileWriter.Write(image, plan));
        var linked = DockerfileWriter.WriteLinked(image, plan, DockerfileOptions.Default);
        var linkedPath = Path.Combine(obj, "Dockerfile.linked");
        if (linked is null) File.Delete(linkedPath);
        else File.WriteAllText(linkedPath, linked.Text);
        return new BuildRequest
        {
            ContextDirectory = context,
            DockerfilePath = dockerfile,
            LinkedDockerfilePath = linked is null ? null : linkedPath,
            LinkedChunks = linked?.Chunks ?? [],
            Tags = [tag],
            Platforms = [Platform.LinuxAmd64],
            MetadataFile = Path.Combine(obj, "buildx-metadata.json"),
            Output = output,
            ArchivePath = archive,
            Registry = new RegistryOptions { InsecureRegistries = [Engine.RegistryAddress] },
        };
    }
}
