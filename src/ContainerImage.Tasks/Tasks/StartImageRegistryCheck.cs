using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>
/// Starts the registry check of the last definition's URI on another thread and returns at once
/// (<see cref="RegistryCheckPrefetch"/>). The targets run it during `dotnet publish`'s restore pass, so the
/// HTTP stack's start-up and the round trip overlap the evaluation and input walk that follow in the same
/// process; PublishImage uses the answer only for the very URI, platforms and options it must check.
/// </summary>
public sealed class StartImageRegistryCheck : ImageTask
{
    /// <summary>The image.json of the last definition (obj/): its URI and platforms are what is checked.</summary>
    [Required]
    public string DefinitionFile { get; set; } = "";

    /// <summary>$(ImageOutput): only a push checks the registry.</summary>
    public string? ImageOutput { get; set; }

    /// <summary>$(ImageForceBuild): a forced build does not check.</summary>
    public string? ImageForceBuild { get; set; }

    /// <summary>$(ImageDryRun): a dry run does not check.</summary>
    public string? ImageDryRun { get; set; }

    /// <summary>$(ImageInsecureRegistries).</summary>
    public string? ImageInsecureRegistries { get; set; }

    /// <summary>$(ImageRegistryTimeout).</summary>
    public string? ImageRegistryTimeout { get; set; }

    /// <summary>$(ImageRegistryRetries).</summary>
    public string? ImageRegistryRetries { get; set; }

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var message = RegistryCheckPrefetch.StartForLastDefinition(DefinitionFile, new RegistryCheckPrefetch.Settings(
            ImageOutput, ImageForceBuild, ImageDryRun, ImageInsecureRegistries, ImageRegistryTimeout, ImageRegistryRetries));
        if (message is not null) Log.LogMessage(MessageImportance.Low, message);
        return true;
    }
}
