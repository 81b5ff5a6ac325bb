using System.Diagnostics;

namespace ContainerImage.Tests.Context;

/// <summary>Runs the docker CLI against the shared test engine (see shared notes: engine.md).</summary>
internal static class DockerCli
{
    public const string Socket = "/tmp/cimg-engine/docker.sock";

    /// <summary>Marks the test inconclusive when no engine runs here.</summary>
    public static void RequireEngine()
    {
        if (!File.Exists(Socket)) Assert.Inconclusive("no engine at " + Socket);
    }

    public static string Run(params string[] args)
    {
        var (code, output, error) = TryRun(args);
        if (code != 0) Assert.Fail($"docker {string.Join(' ', args)} failed ({code}): {error}");
        return output;
    }

    public static (int Code, string Output, string Error) TryRun(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOCKER_HOST"] = "unix://" + Socket;
        start.Environment["DOCKER_BUILDKIT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("docker " + string.Join(' ', args) + " timed out");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
