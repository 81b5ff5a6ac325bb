using System.Diagnostics;
using System.Text;

namespace ContainerImage.Build;

/// <summary>Runs a short command (a probe) and captures its output, with a timeout.</summary>
internal static class CapturedProcess
{
    /// <summary>The exit code and the combined output; exit code -1 when it timed out.</summary>
    /// <param name="ExitCode">The exit code, or -1 after a timeout.</param>
    /// <param name="Output">stdout and stderr.</param>
    internal sealed record Outcome(int ExitCode, string Output);

    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="arguments"/> (no shell). Throws
    /// <see cref="System.ComponentModel.Win32Exception"/> when the command cannot be started.
    /// </summary>
    public static async Task<Outcome> RunAsync(string command, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return new Outcome(-1, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        output.Append(await stdout).Append(await stderr);
        return new Outcome(process.ExitCode, output.ToString());
    }
}
