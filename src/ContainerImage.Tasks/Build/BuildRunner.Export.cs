using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>
/// A reproducible load or OCI archive re-timed by the SDK (<see cref="BuildRequest.RetimesInSdk"/>): buildx writes the
/// layout folder as for the push, <see cref="LayerRetimer"/> clamps and gzips each new layer once, and the re-timed
/// layout becomes the OCI archive file or is streamed into <c>docker load</c>. The push, the load and the archive of
/// one declaration then hold the same bytes, so they report one digest; BuildKit's <c>rewrite-timestamp</c> would
/// recompress every added layer on every export instead (docs/reproducibility.md).
/// </summary>
public sealed partial class BuildRunner
{
    /// <summary>
    /// Re-times the layout buildx just wrote, then writes the archive or loads it into the engine. Returns the exit code
    /// (a failed <c>docker load</c>'s own), the image's digest, the step that ran last, and the coded failure of a layout
    /// that cannot be re-timed, read or written (CIMG3110). Blobs of earlier builds are removed after a success only.
    /// </summary>
    private async Task<(int ExitCode, string? Digest, BuildStep Step, ImageDefinitionException? Failure)> ExportRetimedLayoutAsync(
        BuildRequest request, Action<string> emit, CancellationToken cancellationToken)
    {
        var epoch = request.SourceDateEpoch!.Value;
        var step = request.Output == OutputMode.Load ? BuildStep.Load : BuildStep.Build;
        OciLayout layout;
        try
        {
            layout = BuiltLayout(request, emit);
            if (request.Output == OutputMode.OciArchive) await WriteArchiveFileAsync(layout, request.ArchivePath!, epoch, request.DisplayName, cancellationToken);
        }
        catch (ImageDefinitionException e)
        {
            emit(e.Message);
            return (PushFailedExitCode, null, step, e);
        }
        if (request.Output == OutputMode.Load)
        {
            var (exitCode, failure) = await LoadLayoutAsync(layout, epoch, request.DisplayName, emit, cancellationToken);
            if (failure is not null) emit(failure.Message);
            if (exitCode != 0 || failure is not null) return (exitCode != 0 ? exitCode : PushFailedExitCode, null, step, failure);
        }
        RemoveEarlierBlobs(request, layout, emit);
        return (0, layout.Image.Digest, step, null);
    }

    /// <summary>
    /// Writes the archive beside its destination and renames it into place, so a failure (or a cancellation) never
    /// leaves half an archive under the final name. An I/O failure is CIMG3110; cancellation propagates.
    /// </summary>
    private static async Task WriteArchiveFileAsync(OciLayout layout, string archivePath, long epoch, string imageName, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(archivePath);
        var temporary = target + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await OciLayoutArchive.WriteAsync(layout, output, epoch, cancellationToken);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.OciLayoutInvalid, layout.Folder, imageName,
                $"the OCI archive '{target}' cannot be written from it ({e.Message})");
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>
    /// Streams the layout's archive into <c>docker load</c>'s standard input (never a file of the whole image); the
    /// engine tags it from the names in index.json. Returns docker load's exit code, and a CIMG3110 failure when a blob
    /// could not be read although docker load accepted what it got. Cancellation kills docker load and propagates.
    /// </summary>
    private async Task<(int ExitCode, ImageDefinitionException? Failure)> LoadLayoutAsync(
        OciLayout layout, long epoch, string imageName, Action<string> emit, CancellationToken cancellationToken)
    {
        var start = DockerStartInfo(["load"], null);
        start.RedirectStandardInput = true;
        using var load = StartDocker(start);
        var pumps = Task.WhenAll(PumpAsync(load.StandardOutput, emit), PumpAsync(load.StandardError, emit));
        Exception? writeFailure = null;
        try
        {
            var input = load.StandardInput.BaseStream;
            try
            {
                await OciLayoutArchive.WriteAsync(layout, input, epoch, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // docker load exited early (its exit code tells why) or a blob could not be read (reported below).
                writeFailure = e;
            }
            finally
            {
                CloseInput(input);
            }
            await load.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            StopTree(load);
            throw;
        }
        await pumps;
        if (load.ExitCode != 0 || writeFailure is null) return (load.ExitCode, null);
        return (0, new ImageDefinitionException(DiagnosticCodes.OciLayoutInvalid, layout.Folder, imageName,
            $"it could not be sent to docker load ({writeFailure.Message})"));
    }

    private static void CloseInput(Stream input)
    {
        try
        {
            input.Close();
        }
        catch (IOException)
        {
            // docker load already exited: nothing is waiting for the end of its input.
        }
    }
}
