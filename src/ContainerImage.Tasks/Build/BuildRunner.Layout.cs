using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>
/// The reproducible push without the engine: buildx writes an OCI image layout folder (timestamps rewritten)
/// that is kept between builds, and the registry client pushes it. Nothing goes through <c>docker load</c>,
/// which imported the whole image on every build with a change (25-41 s for 1 GiB, docs/performance.md).
/// </summary>
public sealed partial class BuildRunner
{
    /// <summary>The exit code of a result whose build succeeded and whose push from the layout folder failed.</summary>
    public const int PushFailedExitCode = 1;

    /// <summary>
    /// Removes the folder's <c>index.json</c>, so after the build it names this build's image only (buildx adds
    /// to an existing index). The blobs stay: that is what makes the next export and push incremental.
    /// </summary>
    private static void PrepareLayoutFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        TryDelete(Path.Combine(folder, "index.json"));
    }

    /// <summary>
    /// Pushes the layout to every tag. Returns the digest, or the coded failure (CIMG3110-CIMG3112). After a
    /// success, blobs of earlier builds are deleted; after a failure the folder is left as it is, so the next
    /// attempt has every blob at hand. Cancellation propagates.
    /// </summary>
    private static async Task<(string? Digest, ImageDefinitionException? Failure)> PushLayoutFolderAsync(
        BuildRequest request, Action<string> emit, CancellationToken cancellationToken)
    {
        try
        {
            var layout = BuiltLayout(request, emit);
            if (request.TimestampRewrite == TimestampRewriter.Sdk && !request.RetimesInSdk)
            {
                emit("zstd layers: BuildKit rewrote their timestamps (the SDK re-times gzip layers only; ImageTimestampRewrite)");
            }
            using var client = new RegistryClient(request.Registry);
            var pushed = await client.PushLayoutAsync(layout, request.Tags, emit, cancellationToken);
            RemoveEarlierBlobs(request, layout, emit);
            return (pushed.Digest, null);
        }
        catch (ImageDefinitionException e)
        {
            emit(e.Message);
            return (null, e);
        }
    }

    /// <summary>
    /// The layout buildx just wrote, as it will leave this machine: re-timed (and its linked chunks rewritten) by
    /// <see cref="LayerRetimer"/> when the SDK does the re-timing, else read as it is. CIMG3110 when it cannot be.
    /// </summary>
    private static OciLayout BuiltLayout(BuildRequest request, Action<string> emit)
        => request.RetimesInSdk
            ? LayerRetimer.Retime(request.OciLayoutPath, request.SourceDateEpoch!.Value, request.DisplayName, emit,
                request.UsesLinkedDockerfile ? request.LinkedChunks : [])
            : OciLayout.Read(request.OciLayoutPath, request.DisplayName);

    /// <summary>
    /// After a success, deletes the blobs of earlier builds. The plain tars the re-timed layers came from stay: buildx
    /// skips them on the next export, and the re-timer finds their results in its cache.
    /// </summary>
    private static void RemoveEarlierBlobs(BuildRequest request, OciLayout layout, Action<string> emit)
    {
        var freed = layout.RemoveUnreferencedBlobs(request.RetimesInSdk ? LayerRetimer.SourcesOf(layout) : []);
        if (freed > 0) emit($"removed {RegistryClient.FormatBytes(freed)} of earlier builds' blobs from {request.OciLayoutPath}");
    }
}
