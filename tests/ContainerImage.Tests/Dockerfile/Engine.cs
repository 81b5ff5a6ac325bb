using System.Diagnostics;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>
/// The real Docker engine for tests: DOCKER_HOST from the environment, else the shared engine's
/// socket (eng/engine.sh). When it cannot be reached the test fails with the reason, unless
/// <c>CIMG_SKIP_ENGINE_TESTS=1</c>, which makes it inconclusive instead.
/// </summary>
internal static class Engine
{
    private const string SharedSocket = "/tmp/cimg-engine/docker.sock";

    public static string? DockerHost
        => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host
            : File.Exists(SharedSocket) ? "unix://" + SharedSocket : null;

    /// <summary>Fails (or, when allowed, skips) the test unless docker and buildx answer.</summary>
    public static void Require()
    {
        string reason;
        try
        {
            // 'buildx version' alone never contacts the engine; 'version' with the server field does.
            var engine = Docker(["version", "--format", "{{.Server.Version}}"], timeout: TimeSpan.FromSeconds(30));
            var buildx = engine.ExitCode == 0 ? Docker(["buildx", "version"], timeout: TimeSpan.FromSeconds(30)) : engine;
            if (buildx.ExitCode == 0) return;
            reason = $"docker exited with {buildx.ExitCode}: {buildx.Error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            reason = "the docker CLI could not be started: " + e.Message;
        }
        reason = $"No usable Docker engine with buildx (DOCKER_HOST={DockerHost ?? "<unset>"}): {reason}. Start one with eng/engine.sh, or set CIMG_SKIP_ENGINE_TESTS=1 to skip engine tests.";
        if (Environment.GetEnvironmentVariable("CIMG_SKIP_ENGINE_TESTS") == "1") Assert.Inconclusive(reason);
        Assert.Fail(reason);
    }

    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs docker with the arguments and extra environment; kills it after <paramref name="timeout"/>.</summary>
    public static Result Docker(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (DockerHost is { } host) start.Environment["DOCKER_HOST"] = host;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"docker {string.Join(' ', arguments)} did not finish in time.");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Builds <paramref name="dockerfile"/> in <paramref name="context"/> and loads it as <paramref name="tag"/>; fails with buildx's output.</summary>
    public static void Build(string context, string dockerfile, string tag, IEnumerable<string>? extraArguments = null, IDictionary<string, string>? environment = null)
    {
        var path = Path.Combine(context, "Dockerfile");
        File.WriteAllText(path, dockerfile);
        var result = Docker(["buildx", "build", "--progress=plain", "--load", "--provenance=false", "-t", tag, "-f", path, .. extraArguments ?? [], context], environment);
        Assert.AreEqual(0, result.ExitCode, $"The build failed.\n--- Dockerfile ---\n{dockerfile}\n--- buildx ---\n{Tail(result.Error)}");
    }

    /// <summary>Runs <paramref name="script"/> with /bin/sh in a new container of <paramref name="tag"/> and returns its output.</summary>
    public static string RunScript(string tag, string script)
    {
        var result = Docker(["run", "--rm", "--pull=never", "--network=none", tag, "/bin/sh", "-c", script]);
        Assert.AreEqual(0, result.ExitCode, $"The container failed: {result.Error}\n{result.Output}");
        return result.Output;
    }

    /// <summary>Removes an image this test built (other users of the engine keep theirs).</summary>
    public static void RemoveImage(string tag) => Docker(["image", "rm", "--force", tag]);

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(60));
}
