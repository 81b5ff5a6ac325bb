using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Identity;

/// <summary>PLACEHOLDER CONTRACT (replaced by the identity work): the identifier and its canonical encoding.</summary>
/// <param name="Identifier">64 lowercase hex digits.</param>
/// <param name="CanonicalJson">The canonical encoding that was hashed.</param>
public sealed record ImageIdentity(string Identifier, string CanonicalJson);

/// <summary>PLACEHOLDER CONTRACT: computes <see cref="ImageIdentity"/>.</summary>
public static class ImageIdentifier
{
    /// <summary>Plans the context and computes the identity.</summary>
    public static ImageIdentity Compute(Image image) => Compute(image, ContextPlanner.Plan(image));

    /// <summary>Computes the identity from an existing plan, hashing files with <paramref name="hasher"/> (a cache-backed one in MSBuild).</summary>
    public static ImageIdentity Compute(Image image, ContextPlan plan, FileHasher? hasher = null) => throw new InvalidOperationException("placeholder contract");
}
