using ContainerImage.Build;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>
/// The shared test engine: where it listens, the local registry and base images, and the rule for
/// machines without one (tests fail with the reason, unless CIMG_SKIP_ENGINE_TESTS=1 makes them
/// inconclusive). Start the engine with <c>eng/engine.sh up</c>.
/// </summary>
public static class Engine
{
    /// <summary>The socket eng/engine.sh starts dockerd on.</summary>
    public const string DefaultDockerHost = "unix:///tmp/cimg-engine/docker.sock";

    /// <summary>The local registry (plain HTTP on loopback).</summary>
    public const string RegistryAddress = "127.0.0.1:5000";

    /// <summary>A static busybox image in the local registry: the smallest base that runs a shell.</summary>
    public const string BusyboxImage = RegistryAddress + "/local/busybox:static";

    /// <summary>The environment variable that turns a missing engine into an inconclusive result.</summary>
    public const string SkipVariable = "CIMG_SKIP_ENGINE_TESTS";

    private static readonly Lazy<Task<DockerEngineStatus>> Probe = new(ProbeOnceAsync);

    /// <summary>
    /// Makes sure the engine answers, pointing DOCKER_HOST at the test engine when it is unset (child
    /// processes inherit it). Fails, or with CIMG_SKIP_ENGINE_TESTS=1 is inconclusive, with the reason.
    /// </summary>
    public static async Task RequireAsync()
    {
        var status = await Probe.Value;
        if (status.IsAvailable) return;
        var message = $"The Docker engine is not available ({status.Detail}). Start it with 'eng/engine.sh up' " +
                      $"and set DOCKER_HOST={DefaultDockerHost}, or set {SkipVariable}=1 to skip engine tests.";
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1") Assert.Inconclusive(message);
        Assert.Fail(message);
    }

    /// <summary>A repository name unique to this test run, under the area's prefix.</summary>
    public static string UniqueRepository(string area) => $"{area}/{Guid.NewGuid():N}"[..(area.Length + 13)];

    private static async Task<DockerEngineStatus> ProbeOnceAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"))
            && File.Exists(DefaultDockerHost["unix://".Length..]))
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", DefaultDockerHost);
        }
        var status = await DockerEngine.ProbeAsync(timeout: TimeSpan.FromSeconds(15));
        if (!status.IsAvailable) return status;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync($"http://{RegistryAddress}/v2/");
            return response.IsSuccessStatusCode ? status : new DockerEngineStatus(false, $"registry {RegistryAddress} answered {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return new DockerEngineStatus(false, $"registry {RegistryAddress}: {e.Message}");
        }
    }
}
