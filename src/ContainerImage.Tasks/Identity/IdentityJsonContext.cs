using System.Text.Json.Serialization;

namespace ContainerImage.Identity;

/// <summary>
/// Source-generated (de)serialization of <see cref="ImageIdentity"/>: identity.json is read on every publish,
/// and reflection-based System.Text.Json costs hundreds of JIT-compiled methods in each fresh MSBuild process.
/// Same output as the reflection serializer with <c>WriteIndented</c>.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ImageIdentity))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
