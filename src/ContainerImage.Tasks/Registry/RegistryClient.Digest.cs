using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>Base image pinning: the digest a reference resolves to now, and the lock check against an expected one.</summary>
public sealed partial class RegistryClient
{
    /// <summary>
    /// The manifest digest (an index's digest for a multi-platform image) that <paramref name="imageUri"/>
    /// resolves to now, after checking it has every platform in <paramref name="platforms"/>. Authenticates
    /// as <see cref="CheckAsync"/> does. Throws <see cref="DiagnosticCodes.BaseDigestUnresolved"/> when the
    /// image is missing, lacks a platform, or the registry cannot be asked: a pin must never be a guess.
    /// </summary>
    public async Task<string> ResolveDigestAsync(string imageUri, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var result = await CheckAsync(imageUri, platforms, cancellationToken);
        return result is { State: ExistenceState.Exists, Digest: { } digest }
            ? digest
            : throw new ImageDefinitionException(DiagnosticCodes.BaseDigestUnresolved, imageUri, result.Detail ?? "the registry reported no digest");
    }

    /// <summary>
    /// The lock check: resolves <paramref name="imageUri"/> and throws <see cref="DiagnosticCodes.BaseImageMoved"/>
    /// when it no longer resolves to <paramref name="expectedDigest"/> (the tag was moved). Returns the digest.
    /// </summary>
    public async Task<string> VerifyDigestAsync(string imageUri, string expectedDigest, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken = default)
    {
        if (!ImageNames.IsDigest(expectedDigest)) throw new ImageDefinitionException(DiagnosticCodes.InvalidDigest, expectedDigest ?? "");
        var resolved = await ResolveDigestAsync(imageUri, platforms, cancellationToken);
        BaseImageLock.Verify(imageUri, expectedDigest, resolved);
        return resolved;
    }

    /// <summary>
    /// <paramref name="image"/> with its existing-image base pinned to the digest its reference resolves to
    /// now, for the image's platforms (<see cref="Image.WithPinnedBase"/>). Throws <see cref="DiagnosticCodes.BasePinNotApplicable"/>
    /// for other bases and <see cref="DiagnosticCodes.BaseDigestUnresolved"/> when the digest cannot be had.
    /// </summary>
    public async Task<Image> PinBaseAsync(Image image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Base is not ExistingImageBase existing) throw new ImageDefinitionException(DiagnosticCodes.BasePinNotApplicable, image.Base.Kind);
        var digest = await ResolveDigestAsync(existing.Reference.ToString(), image.Platforms, cancellationToken);
        return image.WithPinnedBase(digest);
    }
}
