using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Tasks;

public static partial class RegistryCheckPrefetch
{
    /// <summary>The publish properties that decide whether, and how, the registry is asked (as MSBuild passes them).</summary>
    /// <param name="ImageOutput">$(ImageOutput): only a push checks the registry.</param>
    /// <param name="ImageForceBuild">$(ImageForceBuild): a forced build does not check.</param>
    /// <param name="ImageDryRun">$(ImageDryRun): a dry run does not check.</param>
    /// <param name="ImageInsecureRegistries">$(ImageInsecureRegistries).</param>
    /// <param name="ImageRegistryTimeout">$(ImageRegistryTimeout), seconds.</param>
    /// <param name="ImageRegistryRetries">$(ImageRegistryRetries).</param>
    public sealed record Settings(string? ImageOutput, string? ImageForceBuild, string? ImageDryRun,
        string? ImageInsecureRegistries, string? ImageRegistryTimeout, string? ImageRegistryRetries);

    /// <summary>
    /// Starts the check of the URI and platforms named by the last definition (<paramref name="definitionFile"/>,
    /// an image.json in obj/) when these settings would make PublishImage ask the registry. Best effort: whatever
    /// is missing or unparsable means no early check, and PublishImage then checks (and reports bad settings)
    /// exactly as it does without one. Returns a line for the build log (low importance), or null.
    /// </summary>
    public static string? StartForLastDefinition(string? definitionFile, Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(definitionFile) || !File.Exists(definitionFile)) return null;
        if (!string.Equals((settings.ImageOutput ?? "").Trim(), "push", StringComparison.OrdinalIgnoreCase)) return null;
        if (IsTrue(settings.ImageForceBuild) || IsTrue(settings.ImageDryRun)) return null;
        RegistryOptions options;
        try
        {
            // The same reading PublishImage makes, so the key matches its check.
            options = RegistrySettings.Options(settings.ImageRegistryTimeout, settings.ImageRegistryRetries, settings.ImageInsecureRegistries);
        }
        catch (ItemMappingException)
        {
            return null;
        }
        try
        {
            var definition = ImageDefinitionRecord.Read(definitionFile);
            var platforms = definition.Platforms.Select(Platform.Parse).ToList();
            return Start(definition.Uri, platforms, options)
                ? $"Registry check of {definition.Uri} started early (the last definition's URI)."
                : $"Registry check of {definition.Uri} already started early.";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"No early registry check ({e.GetType().Name}).";
        }
    }

    private static bool IsTrue(string? value) => bool.TryParse((value ?? "").Trim(), out var result) && result;
}
