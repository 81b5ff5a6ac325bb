using System.Text.Json;
using ContainerImage.Diagnostics;

namespace ContainerImage.Tasks;

/// <summary>
/// Says, without building, what differs from the last publish from this project, for each image
/// GenerateImageDefinition described; writes <c>changes.json</c> beside each <c>image.json</c>.
/// </summary>
public sealed class ExplainImageChanges : ImageTask
{
    /// <summary>The image.json files GenerateImageDefinition wrote, one per image.</summary>
    [Microsoft.Build.Framework.Required]
    public string[] DefinitionFiles { get; set; } = [];

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        foreach (var definitionFile in DefinitionFiles)
        {
            ImageDefinitionRecord definition;
            try
            {
                definition = ImageDefinitionRecord.Read(definitionFile);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                throw new ImageDefinitionException(DiagnosticCodes.ImageDefinitionMissing, definitionFile, e.Message);
            }
            ChangeReport.Explain(Path.GetDirectoryName(Path.GetFullPath(definitionFile))!, definition.Uri, Log);
        }
        return true;
    }
}
