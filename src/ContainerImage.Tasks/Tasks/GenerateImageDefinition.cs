using System.Text.Json;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Identity;
using ContainerImage.Model;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>
/// Items and properties -> model -> checked inputs -> Dockerfile, build context, identifier, for the
/// project's image and each ImageClone. Writes, each only when its content changes, into
/// <c>IntermediateOutputPath/&lt;image name&gt;/</c>: <c>Dockerfile</c>, <c>context/</c>,
/// <c>identifier.txt</c>, <c>uri.txt</c>, <c>identity.json</c>, <c>image.json</c>, and the file-hash
/// cache <c>filehashes.cache</c>.
/// </summary>
public sealed class GenerateImageDefinition : ImageDefinitionTask
{
    /// <summary>The root folder; each image gets the sub-folder of its name.</summary>
    [Required]
    public string IntermediateOutputPath { get; set; } = "";

    /// <summary>The project's image URI.</summary>
    [Output]
    public string? ImageUri { get; private set; }

    /// <summary>The project's image content identifier.</summary>
    [Output]
    public string? ImageIdentifier { get; private set; }

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var images = MapImages();
        var directories = images.Select(m => Path.GetFullPath(Path.Combine(IntermediateOutputPath, m.Image.Name))).ToList();
        // The Outputs of the target go first, so a failure below always reruns the target next time.
        foreach (var directory in directories) OutputFiles.Delete(Path.Combine(directory, "identifier.txt"));

        var problems = false;
        foreach (var mapped in images)
        {
            var found = mapped.Image.Check();
            LogProblems(mapped, found);
            problems |= found.Count > 0;
        }
        if (problems) return false;

        for (var i = 0; i < images.Count; i++)
        {
            var (uri, identifier) = Generate(images[i], directories[i]);
            if (i == 0)
            {
                ImageUri = uri;
                ImageIdentifier = identifier;
            }
        }
        return true;
    }

    private (string Uri, string Identifier) Generate(MappedImage mapped, string directory)
    {
        var image = mapped.Image;
        var dockerfilePath = Path.Combine(directory, "Dockerfile");
        var identifierPath = Path.Combine(directory, "identifier.txt");
        var plan = AtLayer(mapped, () => ContextPlanner.Plan(image));
        var contextDirectory = Path.Combine(directory, "context");
        // buildx needs the folder even when no layer has files.
        Directory.CreateDirectory(contextDirectory);
        var written = AtLayer(mapped, () => ContextWriter.Write(plan, contextDirectory));
        Log.LogMessage(MessageImportance.Low,
            $"Build context of {image.Name}: {written.FilesWritten} written, {written.FilesUnchanged} unchanged, {written.FilesDeleted} deleted.");

        var hasher = new FileHasher(Path.Combine(directory, "filehashes.cache"));
        var identity = AtLayer(mapped, () => Identity.ImageIdentifier.Compute(image, plan, hasher));
        hasher.Save();
        var uri = image.UriFor(image.Tag ?? identity.Identifier);

        // A Dockerfile image is built from the user's file where it is (so its own '<name>.dockerignore'
        // still applies); obj/ gets a copy only to show it and to mark generation as done.
        var dockerfileBase = image.Base as DockerfileBase;
        var dockerfileText = dockerfileBase is null ? AtLayer(mapped, () => DockerfileWriter.Write(image, plan)) : File.ReadAllText(dockerfileBase.DockerfilePath);
        var record = new ImageDefinitionRecord(uri, identity.Identifier, image.Registry, dockerfileBase?.DockerfilePath ?? dockerfilePath,
            plan.ExternalContextDirectory ?? contextDirectory,
            image.Platforms.Select(p => p.ToString()).ToList(),
            image.Secrets.Select(SecretRecord.From).ToList());

        OutputFiles.WriteIfChanged(Path.Combine(directory, "identity.json"),
            JsonSerializer.Serialize(identity, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        OutputFiles.WriteIfChanged(Path.Combine(directory, "image.json"), record.ToJson());
        OutputFiles.WriteIfChanged(Path.Combine(directory, "uri.txt"), uri + "\n");
        OutputFiles.WriteIfChanged(dockerfilePath, dockerfileText);
        OutputFiles.WriteIfChanged(identifierPath, identity.Identifier + "\n");
        // MSBuild compares Outputs with the stamp by time: unchanged outputs must still look newer
        // than the stamp that caused this run (their content is left alone).
        File.SetLastWriteTimeUtc(identifierPath, DateTime.UtcNow);
        File.SetLastWriteTimeUtc(dockerfilePath, DateTime.UtcNow);
        Log.LogMessage(MessageImportance.High, $"Image {uri} defined ({Path.GetRelativePath(ProjectDirectory, dockerfilePath)}).");
        return (uri, identity.Identifier);
    }
}
