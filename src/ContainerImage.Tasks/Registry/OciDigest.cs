using System.Security.Cryptography;

namespace ContainerImage.Registry;

/// <summary>
/// Content digests as the OCI specs and registries write them (<c>sha256:</c> and 64 lower-case hex digits): one
/// formatting for the registry client, the layout reader and the layer re-timer, whose digests must agree byte for byte.
/// </summary>
public static class OciDigest
{
    /// <summary>The digest of <paramref name="content"/>.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Format(SHA256.HashData(content));

    /// <summary>A SHA-256 hash (32 bytes) as a digest.</summary>
    public static string Format(ReadOnlySpan<byte> sha256) => "sha256:" + Convert.ToHexString(sha256).ToLowerInvariant();
}
