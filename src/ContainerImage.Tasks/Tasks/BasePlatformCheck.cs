using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Tasks;

/// <summary>
/// Before a build: does the base image offer every platform the image is built for? BuildKit, given a
/// single-platform base for another platform, builds anyway (with a warning few read) and labels the
/// other platform's binaries as the requested one: an arm64 image that cannot run on arm64. Asked of the
/// registry only when a build is about to start, so an up-to-date publish pays nothing for it.
/// </summary>
internal static class BasePlatformCheck
{
    /// <summary>
    /// Throws <see cref="DiagnosticCodes.BaseImageLacksPlatform"/> when the registry says the base exists but
    /// lacks a platform. Any other answer (not found, unreachable, refused) is left to the build, which
    /// may still find the base (e.g. in the engine's own image store), and is only logged.
    /// </summary>
    public static void Require(string? baseImage, string imageUri, IReadOnlyList<Platform> platforms, RegistryOptions options, Action<string> log,
        CancellationToken cancellationToken)
    {
        if (baseImage is null || platforms.Count == 0) return;
        using var client = new RegistryClient(options);
        ExistenceResult result;
        try
        {
            result = client.CheckAsync(baseImage, platforms, cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.BuildCancelled, imageUri);
        }
        if (result.MissingPlatforms.Count > 0)
        {
            throw new ImageDefinitionException(DiagnosticCodes.BaseImageLacksPlatform, baseImage,
                string.Join(", ", result.MissingPlatforms),
                result.AvailablePlatforms.Count == 0 ? "no platform" : string.Join(", ", result.AvailablePlatforms), imageUri);
        }
        if (result.State != ExistenceState.Exists)
        {
            log($"The platforms of the base image {baseImage} could not be checked ({result.Detail}); building anyway.");
        }
    }
}
