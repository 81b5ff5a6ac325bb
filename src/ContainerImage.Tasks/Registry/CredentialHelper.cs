using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Registry;

/// <summary>
/// Runs a docker credential helper (<c>docker-credential-&lt;name&gt; get</c>, the server address on
/// stdin, JSON <c>{"Username","Secret"}</c> on stdout), as the docker CLI does.
/// </summary>
internal static partial class CredentialHelper
{
    /// <summary>
    /// The helper's credentials for <paramref name="serverAddress"/>; null when it has none or fails
    /// (a failure is reported through <paramref name="warn"/> with CIMG1004, never with its output).
    /// </summary>
    public static async Task<RegistryCredentials?> GetAsync(
        string helperName, string serverAddress, TimeSpan timeout, Action<ImageProblem>? warn, CancellationToken cancellationToken)
    {
        if (!HelperName().IsMatch(helperName))
        {
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.CredentialHelperFailed, null, helperName, serverAddress,
                "the helper name may only hold letters, digits, '.', '_' and '-'"));
            return null;
        }
        var start = new ProcessStartInfo("docker-credential-" + helperName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("get");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception)
        {
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.CredentialHelperFailed, null, helperName, serverAddress,
                $"'docker-credential-{helperName}' was not found on PATH"));
            return null;
        }
        using (process)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                await process.StandardInput.WriteAsync(serverAddress);
                process.StandardInput.Close();
                var outputTask = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
                var errorTask = process.StandardError.ReadToEndAsync(timeoutSource.Token);
                await process.WaitForExitAsync(timeoutSource.Token);
                var output = await outputTask;
                await errorTask;
                return Interpret(helperName, serverAddress, process.ExitCode, output, warn);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                warn?.Invoke(ImageProblem.Create(DiagnosticCodes.CredentialHelperFailed, null, helperName, serverAddress,
                    $"it did not answer within {timeout.TotalSeconds:0} s"));
                return null;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            catch (IOException e)
            {
                warn?.Invoke(ImageProblem.Create(DiagnosticCodes.CredentialHelperFailed, null, helperName, serverAddress, e.GetType().Name));
                return null;
            }
        }
    }

    /// <summary>
    /// Reads the helper's answer. Its output is never quoted in a warning: on success it IS the secret,
    /// and some helpers echo their input on failure.
    /// </summary>
    internal static RegistryCredentials? Interpret(string helperName, string serverAddress, int exitCode, string output, Action<ImageProblem>? warn)
    {
        if (exitCode != 0)
        {
            // The protocol's "no credentials" answer: not a failure, just anonymous access.
            if (output.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.CredentialHelperFailed, null, helperName, serverAddress, $"exit code {exitCode}"));
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            var user = root.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            var secret = root.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (string.IsNullOrEmpty(secret)) return null;
            return new RegistryCredentials(user ?? "", secret);
        }
        catch (JsonException)
        {
            warn?.Invoke(ImageProblem.Create(DiagnosticCodes.CredentialHelperFailed, null, helperName, serverAddress,
                "its answer is not the JSON {\"Username\",\"Secret\"} the protocol requires"));
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex HelperName();
}
