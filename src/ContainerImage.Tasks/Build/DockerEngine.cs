using System.ComponentModel;

namespace ContainerImage.Build;

/// <summary>What a probe of the docker engine found.</summary>
/// <param name="IsAvailable">True when the CLI reached a running engine.</param>
/// <param name="Detail">The server version, or why the engine is not usable.</param>
public sealed record DockerEngineStatus(bool IsAvailable, string Detail);

/// <summary>
/// A quick probe of the docker engine (<c>docker version</c>), so callers can tell "no engine here"
/// from a failed build before starting one. Honours <c>DOCKER_HOST</c> like every docker call here.
/// </summary>
public static class DockerEngine
{
    /// <summary>The probe's default timeout: long enough for a busy engine, short for a missing one.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>True when <paramref name="dockerCommand"/> reaches a running engine within <paramref name="timeout"/>.</summary>
    public static async Task<bool> IsAvailableAsync(string dockerCommand = "docker", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => (await ProbeAsync(dockerCommand, timeout, cancellationToken)).IsAvailable;

    /// <summary>Probes the engine and says what it found.</summary>
    public static async Task<DockerEngineStatus> ProbeAsync(string dockerCommand = "docker", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var outcome = await CapturedProcess.RunAsync(dockerCommand, ["version", "--format", "{{.Server.Version}}"],
                timeout ?? DefaultTimeout, cancellationToken);
            var firstLine = FirstLine(outcome.Output);
            return outcome.ExitCode == 0 && firstLine.Length > 0
                ? new DockerEngineStatus(true, "engine " + firstLine)
                : new DockerEngineStatus(false, firstLine.Length > 0 ? firstLine : $"docker version exited with {outcome.ExitCode}");
        }
        catch (Win32Exception e)
        {
            return new DockerEngineStatus(false, $"'{dockerCommand}' could not be started ({e.Message})");
        }
    }

    /// <summary>The first non-empty line of <paramref name="text"/>, trimmed.</summary>
    internal static string FirstLine(string text)
        => text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}
