using ContainerImage.Diagnostics;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>
/// Base of the tasks that read the image definition: the definition properties (named like the
/// MSBuild properties they receive) and the ImageLayer/ImageSecret items.
/// </summary>
public abstract class ImageDefinitionTask : ImageTask
{
    /// <summary>The ImageLayer items, in declaration order.</summary>
    public ITaskItem[] Layers { get; set; } = [];

    /// <summary>The ImageSecret items.</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    /// <summary>The ImageClone items: further images derived from the project's image.</summary>
    public ITaskItem[] Clones { get; set; } = [];

    /// <summary>$(ImageName).</summary>
    public string? ImageName { get; set; }

    /// <summary>$(ImageRegistry).</summary>
    public string? ImageRegistry { get; set; }

    /// <summary>$(ImageTag).</summary>
    public string? ImageTag { get; set; }

    /// <summary>$(ImagePlatforms).</summary>
    public string? ImagePlatforms { get; set; }

    /// <summary>$(ImageBaseUri).</summary>
    public string? ImageBaseUri { get; set; }

    /// <summary>$(ImageDockerfile).</summary>
    public string? ImageDockerfile { get; set; }

    /// <summary>$(ImageUvScript).</summary>
    public string? ImageUvScript { get; set; }

    /// <summary>$(ImagePythonVersion).</summary>
    public string? ImagePythonVersion { get; set; }

    /// <summary>$(ImageInstallCoreLibrary).</summary>
    public string? ImageInstallCoreLibrary { get; set; }

    /// <summary>$(ImageUvScriptIndexUrl): the index a uv script's dependencies come from (over its header's).</summary>
    public string? ImageUvScriptIndexUrl { get; set; }

    /// <summary>$(ImageUvScriptExtraIndexUrls): further indexes for a uv script's dependencies (over its header's).</summary>
    public string? ImageUvScriptExtraIndexUrls { get; set; }

    /// <summary>$(ImageUvScriptPre): allow pre-releases of a uv script's dependencies.</summary>
    public string? ImageUvScriptPre { get; set; }

    /// <summary>$(ImageUvScriptExtraArgs): further installer arguments for a uv script's dependencies.</summary>
    public string? ImageUvScriptExtraArgs { get; set; }

    /// <summary>$(ImageUvScriptSecrets): ImageSecret ids mounted while a uv script's dependencies install.</summary>
    public string? ImageUvScriptSecrets { get; set; }

    /// <summary>$(ImageCoreLibrarySpec).</summary>
    public string? ImageCoreLibrarySpec { get; set; }

    /// <summary>$(ImageDebianBaseImage).</summary>
    public string? ImageDebianBaseImage { get; set; }

    /// <summary>$(ImageDebianAptPackages).</summary>
    public string? ImageDebianAptPackages { get; set; }

    /// <summary>$(ImageUser).</summary>
    public string? ImageUser { get; set; }

    /// <summary>$(ImagePythonInstaller).</summary>
    public string? ImagePythonInstaller { get; set; }

    /// <summary>$(ImageUvImage).</summary>
    public string? ImageUvImage { get; set; }

    /// <summary>$(ImageGenerateLabels): OCI labels from the project metadata below (default true).</summary>
    public string? ImageGenerateLabels { get; set; }

    /// <summary>$(Version), for the org.opencontainers.image.version label.</summary>
    public string? Version { get; set; }

    /// <summary>$(Authors), for the org.opencontainers.image.authors label.</summary>
    public string? Authors { get; set; }

    /// <summary>$(Description), for the org.opencontainers.image.description label.</summary>
    public string? Description { get; set; }

    /// <summary>$(SourceRevisionId), for the org.opencontainers.image.revision label.</summary>
    public string? SourceRevisionId { get; set; }

    /// <summary>$(RepositoryUrl), for the org.opencontainers.image.source label.</summary>
    public string? RepositoryUrl { get; set; }

    /// <summary>$(ImageBasePinning): none, resolve or locked.</summary>
    public string? ImageBasePinning { get; set; }

    /// <summary>The definition properties by name, as the mapper reads them.</summary>
    protected IReadOnlyDictionary<string, string?> DefinitionProperties() => new Dictionary<string, string?>
    {
        ["ImageName"] = ImageName,
        ["ImageRegistry"] = ImageRegistry,
        ["ImageTag"] = ImageTag,
        ["ImagePlatforms"] = ImagePlatforms,
        ["ImageBaseUri"] = ImageBaseUri,
        ["ImageDockerfile"] = ImageDockerfile,
        ["ImageUvScript"] = ImageUvScript,
        ["ImagePythonVersion"] = ImagePythonVersion,
        ["ImageInstallCoreLibrary"] = ImageInstallCoreLibrary,
        ["ImageCoreLibrarySpec"] = ImageCoreLibrarySpec,
        ["ImageUvScriptIndexUrl"] = ImageUvScriptIndexUrl,
        ["ImageUvScriptExtraIndexUrls"] = ImageUvScriptExtraIndexUrls,
        ["ImageUvScriptPre"] = ImageUvScriptPre,
        ["ImageUvScriptExtraArgs"] = ImageUvScriptExtraArgs,
        ["ImageUvScriptSecrets"] = ImageUvScriptSecrets,
        ["ImageDebianBaseImage"] = ImageDebianBaseImage,
        ["ImageDebianAptPackages"] = ImageDebianAptPackages,
        ["ImageUser"] = ImageUser,
        ["ImagePythonInstaller"] = ImagePythonInstaller,
        ["ImageUvImage"] = ImageUvImage,
        ["ImageGenerateLabels"] = ImageGenerateLabels,
        ["Version"] = Version,
        ["Authors"] = Authors,
        ["Description"] = Description,
        ["SourceRevisionId"] = SourceRevisionId,
        ["RepositoryUrl"] = RepositoryUrl,
        ["ImageBasePinning"] = ImageBasePinning,
    };

    /// <summary>The folder relative paths are resolved against.</summary>
    protected string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;

    /// <summary>Maps the properties and items to the project's image and its clones, the project's image first (throws <see cref="ItemMappingException"/>).</summary>
    protected IReadOnlyList<MappedImage> MapImages() => ImageItemMapper.MapAll(DefinitionProperties(), Layers, Secrets, Clones, ProjectDirectory);

    /// <summary>
    /// Runs a step that reads the declared inputs (planning, hashing, writing); a coded error that
    /// names a layer is re-thrown against the item that declared that layer.
    /// </summary>
    protected static T AtLayer<T>(MappedImage mapped, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (ImageDefinitionException e) when (e.LayerIndex is int index && index >= 0 && index < mapped.LayerOrigins.Count)
        {
            throw new ItemMappingException(e, mapped.LayerOrigins[index], null);
        }
    }

    /// <summary>Logs the problems <c>Image.Check()</c> found, each at the item of its layer.</summary>
    protected void LogProblems(MappedImage mapped, IReadOnlyList<ImageProblem> problems)
    {
        foreach (var problem in problems)
        {
            var location = problem.LayerIndex is int index && index >= 0 && index < mapped.LayerOrigins.Count
                ? Locator.Locate(mapped.LayerOrigins[index])
                : new SourceLocation(ProjectFile, 0, 0);
            LogCoded(problem.Code, problem.Message, location);
        }
    }
}
