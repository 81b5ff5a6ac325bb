using System.Text.Json.Serialization;
using ContainerImage.Identity;

namespace ContainerImage.Tasks;

/// <summary>
/// Source-generated serialization of what the tasks keep in obj/ (image.json, publish.json): a no-op publish
/// reads and writes them in a fresh process, where reflection-based System.Text.Json is mostly JIT time.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ImageDefinitionRecord))]
[JsonSerializable(typeof(PublishResultRecord))]
internal sealed partial class TaskJsonContext : JsonSerializerContext;

/// <summary>changes.json: the explanation as a JSON array of <c>{kind, layer, message}</c> (camelCase).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<ImageChange>))]
internal sealed partial class ChangesJsonContext : JsonSerializerContext;

/// <summary>publish.json: what one publish produced (written beside image.json).</summary>
/// <param name="uri">The image URI.</param>
/// <param name="identifier">The content identifier.</param>
/// <param name="digest">The pushed or found manifest digest, or null.</param>
/// <param name="skipped">True when nothing was built (found in the registry, or a dry run).</param>
/// <param name="platforms">The platforms.</param>
#pragma warning disable IDE1006 // lower-case names: they are publish.json's member names
internal sealed record PublishResultRecord(string uri, string identifier, string? digest, bool skipped, IReadOnlyList<string> platforms);
#pragma warning restore IDE1006
