namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// The Docker engine the engine tests use: DOCKER_HOST, or the shared engine's socket at
/// /tmp/cimg-engine/docker.sock. Missing engine = a clear failure, unless CIMG_SKIP_ENGINE_TESTS=1
/// (then the test is inconclusive, with the reason).
/// </summary>
internal static class Engine
{
    private const string DefaultSocket = "/tmp/cimg-engine/docker.sock";

    /// <summary>The DOCKER_HOST value to give children.</summary>
    public static string DockerHost => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix://" + DefaultSocket;

    /// <summary>Fails (or skips, when asked to) unless <c>docker version</c> answers from the engine.</summary>
    public static void Require()
    {
        string? problem;
        try
        {
            var result = Docker("version", "--format", "{{.Server.Version}}");
            problem = result.ExitCode == 0 ? null : $"'docker version' on {DockerHost} failed: {result.Output.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = "the docker CLI could not be started: " + e.Message;
        }
        if (problem is null) return;
        if (Environment.GetEnvironmentVariable("CIMG_SKIP_ENGINE_TESTS") == "1")
        {
            Assert.Inconclusive("Engine tests skipped (CIMG_SKIP_ENGINE_TESTS=1): " + problem);
        }
        Assert.Fail($"This test needs a Docker engine with buildx and the registry at 127.0.0.1:5000 ({problem}). Start one with eng/engine.sh, or set CIMG_SKIP_ENGINE_TESTS=1 to skip engine tests.");
    }

    /// <summary>Runs the docker CLI against the engine.</summary>
    public static ProcessResult Docker(params string[] arguments)
        => DotNet.RunProcess("docker", Path.GetTempPath(), arguments, env => env["DOCKER_HOST"] = DockerHost, TimeSpan.FromMinutes(5));

    /// <summary>Environment for child builds that reach the engine.</summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment => new Dictionary<string, string> { ["DOCKER_HOST"] = DockerHost };
}
