namespace ContainerImage.Tasks;

/// <summary>
/// The single list of what a project file may declare: properties, <c>ImageLayer</c> kinds with the
/// metadata each accepts, <c>ImageSecret</c> and <c>ImageClone</c> metadata. The mapper refuses anything
/// else from it, and the IntelliSense schema (build/ContainerImage.Sdk.xsd) is tested against it, so the
/// two cannot drift.
/// </summary>
public static class ImageSurface
{
    /// <summary>The metadata of the pip-driven kinds.</summary>
    private static readonly string[] PythonMetadata = ["IndexUrl", "ExtraIndexUrls", "Pre", "ExtraArgs", "Secrets"];

    /// <summary>The layer kinds (canonical spelling; matched ignoring case) and the metadata each accepts besides Kind and Image.</summary>
    public static IReadOnlyDictionary<string, string[]> LayerKinds { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["AptPackages"] = ["Secrets"],
        ["PipPackages"] = PythonMetadata,
        ["Requirements"] = PythonMetadata,
        ["UvProject"] = [.. PythonMetadata, "UvLock"],
        ["SourceFolder"] = ["Destination", "ChunkBytes"],
        ["SourceFile"] = ["Destination"],
        ["DockerIgnore"] = [],
        ["EnvVars"] = ["Value"],
        ["Workdir"] = [],
        ["Commands"] = ["Command", "Secrets"],
        ["AppPublishOutput"] = ["Destination"],
        ["Entrypoint"] = ["Clear"],
        ["Command"] = ["Clear"],
        ["User"] = [],
        ["ExposePorts"] = [],
        ["Healthcheck"] = ["Interval", "Timeout", "StartPeriod", "Retries"],
        ["Labels"] = ["Value"],
    };

    /// <summary>The metadata every ImageLayer accepts whatever its kind.</summary>
    public static IReadOnlyList<string> CommonLayerMetadata { get; } = ["Kind", "Image"];

    /// <summary>The metadata an ImageSecret accepts.</summary>
    public static IReadOnlyList<string> SecretMetadata { get; } = ["FromEnvironment", "FromFile", "AsEnvironmentVariable", "AsFile"];

    /// <summary>The metadata an ImageClone accepts.</summary>
    public static IReadOnlyList<string> CloneMetadata { get; } = ["From", "Registry", "Tag", "PythonVersion", "Platforms", "Derive"];

    /// <summary>The properties that define the image (GenerateImageDefinition reads them).</summary>
    public static IReadOnlyList<string> DefinitionProperties { get; } =
    [
        "ImageName", "ImageRegistry", "ImageTag", "ImagePlatforms", "ImageBaseUri", "ImageDockerfile", "ImageUvScript",
        "ImagePythonVersion", "ImageInstallCoreLibrary", "ImageCoreLibrarySpec", "ImageDebianBaseImage",
        "ImageUvScriptIndexUrl", "ImageUvScriptExtraIndexUrls", "ImageUvScriptPre", "ImageUvScriptExtraArgs", "ImageUvScriptSecrets",
        "ImageDebianAptPackages", "ImageUser", "ImagePythonInstaller", "ImageUvImage", "ImageGenerateLabels", "ImageBasePinning",
    ];

    /// <summary>The properties that steer publishing (PublishContainerImage reads them).</summary>
    public static IReadOnlyList<string> PublishProperties { get; } =
    [
        "ImageOutput", "ImageArchivePath", "ImageCacheFrom", "ImageCacheTo", "ImageNetwork", "ImageBuilder", "ImageBuildxArgs",
        "ImageDockerCommand", "ImageForceBuild", "ImageReproducible", "ImageSourceDateEpoch", "ImageDryRun",
        "ImageInsecureRegistries", "ImageRegistryTimeout", "ImageRegistryRetries", "ImageLayerCompression", "ImageTimestampRewrite", "ImageEarlyRegistryCheck",
        "ImagePushThroughEngine",
    ];

    /// <summary>The properties of the targets themselves (where obj/ files go, whether build generates).</summary>
    public static IReadOnlyList<string> TargetProperties { get; } = ["ImageIntermediateOutputPath", "ImageGenerateOnBuild", "ImagePublishApp", "ImageBaseLockFile"];

    /// <summary>Every property a project may set.</summary>
    public static IEnumerable<string> AllProperties => DefinitionProperties.Concat(PublishProperties).Concat(TargetProperties);
}
