using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ContainerImage.Build;

/// <summary>
/// The second half of a reproducible push or load on a builder that cannot rewrite timestamps while it
/// unpacks (the engine's built-in <c>docker</c> builder): the build wrote an OCI archive with rewritten
/// timestamps, named after the tags; <c>docker load</c> imports it and <c>docker push</c> sends each tag.
/// With the containerd image store both keep the archive's manifest bytes, so the registry's digest is the
/// reproducible one (measured on Docker 26.1: single- and multi-platform). By default the archive is not a
/// file: buildx writes it to a pipe that <c>docker load</c> reads (<see cref="BuildRequest.StreamStagingArchive"/>).
/// </summary>
public sealed partial class BuildRunner
{
    /// <summary>Loads the staged archive file and, for a push, pushes every tag. Returns the first failing exit code, the pushed digest and the last step run.</summary>
    private async Task<(int ExitCode, string? PushedDigest, BuildStep Step)> PublishStagedArchiveAsync(
        BuildRequest request, Action<string> emit, CancellationToken cancellationToken)
    {
        var exitCode = await RunDockerAsync(["load", "--input", request.StagingArchivePath], null, emit, cancellationToken);
        if (exitCode != 0 || request.Output != OutputMode.Push) return (exitCode, null, BuildStep.Load);
        return await PushTagsAsync(request, emit, cancellationToken);
    }

    /// <summary>
    /// Runs buildx (whose OCI archive goes to its standard output, <c>dest=-</c>) and <c>docker load</c> side by
    /// side, copying the archive from one to the other as BuildKit sends it: the engine imports the image while
    /// it is still being exported, and no copy of it is written to disk. buildx's progress (standard error) and
    /// docker load's output are streamed to <paramref name="emit"/>. A failed build is reported as the build's
    /// failure even though docker load then fails on the truncated archive too.
    /// </summary>
    private async Task<(int ExitCode, BuildStep Step)> BuildIntoLoadAsync(
        IReadOnlyList<string> buildxArguments, long? sourceDateEpoch, Action<string> emit, CancellationToken cancellationToken)
    {
        using var build = StartDocker(DockerStartInfo(buildxArguments, sourceDateEpoch));
        var loadStart = DockerStartInfo(["load"], null);
        loadStart.RedirectStandardInput = true;
        Process load;
        try
        {
            load = StartDocker(loadStart);
        }
        catch
        {
            StopTree(build);
            throw;
        }
        using (load)
        {
            var pumps = Task.WhenAll(
                PumpAsync(build.StandardError, emit), PumpAsync(load.StandardOutput, emit), PumpAsync(load.StandardError, emit),
                CopyArchiveAsync(build.StandardOutput.BaseStream, load.StandardInput.BaseStream));
            try
            {
                await build.WaitForExitAsync(cancellationToken);
                await load.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                StopTree(build);
                StopTree(load);
                throw;
            }
            await pumps;
            if (build.ExitCode != 0) return (build.ExitCode, BuildStep.Build);
            return (load.ExitCode, BuildStep.Load);
        }
    }

    /// <summary>
    /// Copies the archive and then closes docker load's input (its end of file). Should docker load exit early
    /// (it failed: its exit code says so), the rest of buildx's output is drained, or buildx would block on a full pipe.
    /// </summary>
    private static async Task CopyArchiveAsync(Stream archive, Stream loadInput)
    {
        try
        {
            await archive.CopyToAsync(loadInput, 1 << 20);
        }
        catch (IOException)
        {
            await archive.CopyToAsync(Stream.Null);
        }
        finally
        {
            try
            {
                loadInput.Close();
            }
            catch (IOException)
            {
                // docker load already exited: nothing is waiting for the end of its input.
            }
        }
    }

    /// <summary>Pushes every tag of a loaded image. Returns the first failing exit code, the pushed digest and the last step run.</summary>
    private async Task<(int ExitCode, string? PushedDigest, BuildStep Step)> PushTagsAsync(
        BuildRequest request, Action<string> emit, CancellationToken cancellationToken)
    {
        string? digest = null;
        foreach (var tag in request.Tags)
        {
            string? reported = null;
            void Watch(string line)
            {
                reported = PushedDigest(line) ?? reported;
                emit(line);
            }
            var exitCode = await RunDockerAsync(["push", tag], null, Watch, cancellationToken);
            if (exitCode != 0) return (exitCode, null, BuildStep.Push);
            // Every tag names the same manifest; the first tag's answer is the image's digest.
            digest ??= reported;
        }
        return (0, digest, BuildStep.Push);
    }

    /// <summary>The digest in docker push's closing line (<c>tag: digest: sha256:... size: N</c>), else null.</summary>
    internal static string? PushedDigest(string line)
    {
        var match = PushedDigestPattern().Match(line);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"\bdigest: (sha256:[0-9a-f]{64})\b", RegexOptions.CultureInvariant)]
    private static partial Regex PushedDigestPattern();
}
