using System.Diagnostics;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>
/// A private <c>docker-registry</c> (distribution 2.8) on a free 127.0.0.1 port, optionally with
/// htpasswd (bcrypt) authentication; stopped by its pid and its storage deleted on dispose.
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _folder;

    private LocalRegistry(Process process, TempDirectory folder, int port)
    {
        _process = process;
        _folder = folder;
        Address = $"127.0.0.1:{port}";
    }

    /// <summary>host:port of the registry.</summary>
    public string Address { get; }

    /// <summary>Starts a registry; with <paramref name="user"/> and <paramref name="password"/> it requires them.</summary>
    public static async Task<LocalRegistry> StartAsync(string? user = null, string? password = null)
    {
        var folder = new TempDirectory("cimg-registry");
        var port = FreePort.Next();
        var auth = "";
        if (user is not null && password is not null)
        {
            var htpasswd = await RunAsync("htpasswd", ["-Bbn", user, password]);
            folder.Write("htpasswd", htpasswd);
            auth = $"auth:\n  htpasswd:\n    realm: cimg-test\n    path: {System.IO.Path.Combine(folder.Path, "htpasswd")}\n";
        }
        var config = folder.Write("config.yml",
            "version: 0.1\nlog: {level: warn}\n" +
            $"storage:\n  filesystem: {{rootdirectory: {System.IO.Path.Combine(folder.Path, "data")}}}\n" +
            $"http:\n  addr: 127.0.0.1:{port}\n" + auth);
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        // Drain its log so it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, folder, port);
        await registry.WaitUntilListeningAsync();
        return registry;
    }

    /// <summary>Copies an image into this registry with skopeo (credentials when it has auth).</summary>
    public async Task CopyFromAsync(string sourceImage, string repositoryAndTag, string? user = null, string? password = null)
    {
        var args = new List<string> { "copy", "--src-tls-verify=false", "--dest-tls-verify=false" };
        if (user is not null) args.AddRange(["--dest-creds", $"{user}:{password}"]);
        args.AddRange([$"docker://{sourceImage}", $"docker://{Address}/{repositoryAndTag}"]);
        await RunAsync("skopeo", args);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        _folder.Dispose();
    }

    private async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) break;
            try
            {
                using var response = await http.GetAsync($"http://{Address}/v2/");
                return; // 200, or 401 with auth: either way it answers.
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }
        Dispose();
        Assert.Fail($"docker-registry did not start on {Address}");
    }

    private static async Task<string> RunAsync(string command, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) Assert.Fail($"{command} failed ({process.ExitCode}): {await error}");
        return await output;
    }
}
