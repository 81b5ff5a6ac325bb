using System.Text.Json;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Identity;
using ContainerImage.Model;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>
/// Items and properties -> model -> checked inputs -> Dockerfile, build context, identifier. Writes,
/// each only when its content changes, into <see cref="OutputDirectory"/>: <c>Dockerfile</c>,
/// <c>context/</c>, <c>identifier.txt</c>, <c>uri.txt</c>, <c>identity.json</c>, <c>image.json</c>,
/// and the file-hash cache <c>filehashes.cache</c>.
/// </summary>
public sealed class GenerateImageDefinition : ImageDefinitionTask
{
    /// <summary>The image's folder in obj/.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The image URI.</summary>
    [Output]
    public string? ImageUri { get; private set; }

    /// <summary>The content identifier.</summary>
    [Output]
    public string? ImageIdentifier { get; private set; }

    /// <summary>The generated Dockerfile.</summary>
    [Output]
    public string? DockerfilePath { get; private set; }

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var directory = Path.GetFullPath(OutputDirectory);
        var dockerfilePath = Path.Combine(directory, "Dockerfile");
        var identifierPath = Path.Combine(directory, "identifier.txt");
        // The Outputs of the target go first, so a failure below always reruns the target next time.
        OutputFiles.Delete(identifierPath);

        var mapped = MapImage();
        var image = mapped.Image;
        var problems = image.Check();
        if (problems.Count > 0)
        {
            LogProblems(mapped, problems);
            return false;
        }

        var plan = AtLayer(mapped, () => ContextPlanner.Plan(image));
        var contextDirectory = Path.Combine(directory, "context");
        // buildx needs the folder even when no layer has files.
        Directory.CreateDirectory(contextDirectory);
        var written = AtLayer(mapped, () => ContextWriter.Write(plan, contextDirectory));
        Log.LogMessage(MessageImportance.Low,
            $"Build context: {written.FilesWritten} written, {written.FilesUnchanged} unchanged, {written.FilesDeleted} deleted.");

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
        // MSBuild compares Outputs with the stamp by time: an unchanged identifier must still look
        // newer than the stamp that caused this run.
        File.SetLastWriteTimeUtc(identifierPath, DateTime.UtcNow);
        File.SetLastWriteTimeUtc(dockerfilePath, DateTime.UtcNow);

        ImageUri = uri;
        ImageIdentifier = identity.Identifier;
        DockerfilePath = dockerfilePath;
        Log.LogMessage(MessageImportance.High, $"Image {uri} defined ({Path.GetRelativePath(ProjectDirectory, dockerfilePath)}).");
        return true;
    }
}
