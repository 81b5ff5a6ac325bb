using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>Compares a locked base image digest with the one resolved now.</summary>
public static class BaseImageLock
{
    /// <summary>
    /// Throws <see cref="DiagnosticCodes.BaseImageMoved"/> when <paramref name="resolvedDigest"/> differs from
    /// <paramref name="expectedDigest"/>, and <see cref="DiagnosticCodes.InvalidDigest"/> when either is not a digest.
    /// </summary>
    public static void Verify(string imageUri, string expectedDigest, string resolvedDigest)
    {
        if (!ImageNames.IsDigest(expectedDigest)) throw new ImageDefinitionException(DiagnosticCodes.InvalidDigest, expectedDigest ?? "");
        if (!ImageNames.IsDigest(resolvedDigest)) throw new ImageDefinitionException(DiagnosticCodes.InvalidDigest, resolvedDigest ?? "");
        if (!string.Equals(expectedDigest, resolvedDigest, StringComparison.Ordinal))
        {
            throw new ImageDefinitionException(DiagnosticCodes.BaseImageMoved, imageUri, resolvedDigest, expectedDigest);
        }
    }
}
