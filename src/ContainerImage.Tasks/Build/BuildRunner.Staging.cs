using System.Text.RegularExpressions;

namespace ContainerImage.Build;

/// <summary>
/// The second half of a reproducible push or load on a builder that cannot rewrite timestamps while it
/// unpacks (the engine's built-in <c>docker</c> builder): the build wrote an OCI archive with rewritten
/// timestamps, named after the tags; <c>docker load</c> imports it and <c>docker push</c> sends each tag.
/// With the containerd image store both keep the archive's manifest bytes, so the registry's digest is the
/// reproducible one (measured on Docker 26.1: single- and multi-platform).
/// </summary>
public sealed partial class BuildRunner
{
    /// <summary>Loads the staged archive and, for a push, pushes every tag. Returns the first failing exit code, the pushed digest and the last step run.</summary>
    private async Task<(int ExitCode, string? PushedDigest, BuildStep Step)> PublishStagedArchiveAsync(
        BuildRequest request, Action<string> emit, CancellationToken cancellationToken)
    {
        var exitCode = await RunDockerAsync(["load", "--input", request.StagingArchivePath], null, emit, cancellationToken);
        if (exitCode != 0 || request.Output != OutputMode.Push) return (exitCode, null, BuildStep.Load);

        string? digest = null;
        foreach (var tag in request.Tags)
        {
            string? reported = null;
            void Watch(string line)
            {
                reported = PushedDigest(line) ?? reported;
                emit(line);
            }
            exitCode = await RunDockerAsync(["push", tag], null, Watch, cancellationToken);
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
