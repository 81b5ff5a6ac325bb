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

    /// <summary>$(ImageBaseLockFile): where ImageBasePinning=locked records base digests.</summary>
    public string? ImageBaseLockFile { get; set; }

    /// <summary>$(ImageInsecureRegistries), a ';' list of host[:port] (for base pinning).</summary>
    public string? ImageInsecureRegistries { get; set; }

    /// <summary>$(ImageRegistryTimeout), seconds (for base pinning).</summary>
    public string? ImageRegistryTimeout { get; set; }

    /// <summary>$(ImageRegistryRetries) (for base pinning).</summary>
    public string? ImageRegistryRetries { get; set; }

    /// <summary>The name of the file, beside the project image's <c>image.json</c>, listing every image.json in build order.</summary>
    public const string PublishOrderFileName = "publish-order.txt";

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var images = MapImagesPinned();
        var directories = images.Select(m => Path.GetFullPath(Path.Combine(IntermediateOutputPath, m.Image.Name))).ToList();
        // Before anything is written: a folder another project owns is never written to (CIMG5120).
        // (A task run outside MSBuild without a project file has nothing to compare, and claims nothing.)
        if (!string.IsNullOrWhiteSpace(ProjectFile))
        {
            for (var i = 0; i < images.Count; i++) ImageFolderClaim.Claim(directories[i], ProjectFile, images[i].Image.Name);
        }
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
        // A derived image is built FROM its parent's URI, so parents go first (ImageGraph order).
        var all = images.Select(m => m.Image).ToList();
        var order = ImageGraph.Order(all).Select(image => all.IndexOf(image)).Where(i => i >= 0).Distinct();
        OutputFiles.WriteIfChanged(Path.Combine(directories[0], PublishOrderFileName),
            string.Concat(order.Select(i => Path.Combine(directories[i], "image.json") + "\n")));
        return true;
    }

    private IReadOnlyList<MappedImage> MapImagesPinned()
    {
        var mode = BasePinningMode.Parse(ImageBasePinning);
        if (mode == BasePinningMode.Mode.None) return MapImages();
        var options = RegistrySettings.Options(ImageRegistryTimeout, ImageRegistryRetries, ImageInsecureRegistries);
        var lockFile = string.IsNullOrWhiteSpace(ImageBaseLockFile) ? Path.Combine(ProjectDirectory, "image.lock.json") : Path.GetFullPath(ImageBaseLockFile, ProjectDirectory);
        var pinner = new BaseImagePinner(mode, lockFile, options,
            e => LogCoded(e.Code, e.Message, Locator.LocateProperty("ImageBasePinning"), warning: true));
        return ImageItemMapper.MapAll(DefinitionProperties(), Layers, Secrets, Clones, ProjectDirectory, pinner.Pin);
    }

    private (string Uri, string Identifier) Generate(MappedImage mapped, string directory)
    {
        var image = mapped.Image;
        var dockerfilePath = Path.Combine(directory, "Dockerfile");
        var identifierPath = Path.Combine(directory, "identifier.txt");
        // The hasher first: it loads its caches while the walk runs, and with no cache yet it hashes each
        // top-level folder's files as soon as the walk has listed them (docs/performance.md).
        var hasher = new FileHasher(Path.Combine(directory, "filehashes.cache"));
        var plan = AtLayer(mapped, () => ContextPlanner.Plan(image, hasher));
        var contextDirectory = Path.Combine(directory, "context");
        // buildx needs the folder even when no layer has files.
        Directory.CreateDirectory(contextDirectory);
        var written = AtLayer(mapped, () => ContextWriter.Write(plan, contextDirectory));
        Log.LogMessage(MessageImportance.Low,
            $"Build context of {image.Name}: {written.FilesWritten} written, {written.FilesUnchanged} unchanged, {written.FilesDeleted} deleted.");

        var identity = AtLayer(mapped, () => Identity.ImageIdentifier.Compute(image, plan, hasher));
        hasher.Save();
        var uri = image.UriFor(image.Tag ?? identity.Identifier);

        // A Dockerfile image is built from the user's file where it is (so its own '<name>.dockerignore'
        // still applies); obj/ gets a copy only to show it and to mark generation as done.
        var dockerfileBase = image.Base as DockerfileBase;
        var dockerfileText = dockerfileBase is null ? AtLayer(mapped, () => DockerfileWriter.Write(image, plan)) : File.ReadAllText(dockerfileBase.DockerfilePath);
        // The same steps with a large folder's later chunks linked, for a build whose layers the SDK rewrites.
        var linked = dockerfileBase is null ? AtLayer(mapped, () => DockerfileWriter.WriteLinked(image, plan, DockerfileOptions.Default)) : null;
        var linkedPath = Path.Combine(directory, "Dockerfile.linked");
        var record = new ImageDefinitionRecord(uri, identity.Identifier, image.Registry, dockerfileBase?.DockerfilePath ?? dockerfilePath,
            plan.ExternalContextDirectory ?? contextDirectory,
            image.Platforms.Select(p => p.ToString()).ToList(),
            image.Secrets.Select(SecretRecord.From).ToList())
        {
            BaseImage = image.Base switch
            {
                ExistingImageBase existing => existing.EffectiveReference.ToString(),
                DebianBase debian => debian.BaseImage.ToString(),
                _ => null,
            },
            LinkedDockerfilePath = linked is null ? null : linkedPath,
            LinkedChunks = linked?.Chunks,
        };

        OutputFiles.WriteIfChanged(Path.Combine(directory, "identity.json"),
            identity.ToJson() + "\n");
        OutputFiles.WriteIfChanged(Path.Combine(directory, "image.json"), record.ToJson());
        OutputFiles.WriteIfChanged(Path.Combine(directory, "uri.txt"), uri + "\n");
        OutputFiles.WriteIfChanged(dockerfilePath, dockerfileText);
        if (linked is null) OutputFiles.Delete(linkedPath);
        else OutputFiles.WriteIfChanged(linkedPath, linked.Text);
        OutputFiles.WriteIfChanged(identifierPath, identity.Identifier + "\n");
        // MSBuild compares Outputs with the stamp by time: unchanged outputs must still look newer
        // than the stamp that caused this run (their content is left alone).
        File.SetLastWriteTimeUtc(identifierPath, DateTime.UtcNow);
        File.SetLastWriteTimeUtc(dockerfilePath, DateTime.UtcNow);
        Log.LogMessage(MessageImportance.High, $"Image {uri} defined ({Path.GetRelativePath(ProjectDirectory, dockerfilePath)}).");
        return (uri, identity.Identifier);
    }
}
