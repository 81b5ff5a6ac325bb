using System.Diagnostics;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>
/// A second Docker engine with nothing in it: its own dockerd (and the containerd that dockerd
/// starts for itself under its exec root), data root, socket and pid file in a temporary folder,
/// with the containerd image store like the shared engine (eng/engine.sh uses the same flags).
/// No image, no build cache: a build there is a build on a clean machine. It gets a bridge of its
/// own: the shared engine owns docker0, and a dockerd started with <c>--bridge=none</c> DELETES the
/// docker0 interface (measured: the shared engine's RUN steps then fail with "adding interface to
/// bridge docker0 failed"). Disposing stops the daemon by its pid, unmounts what is left under its
/// folder, deletes it and the bridge.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class PrivateEngine : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The shared engine's bridge, which must survive this engine.</summary>
    private const string SharedBridge = "docker0";

    // A range nothing else here routes (the shared engine has 172.17.0.0/16); the third byte is
    // random so that two test runs at once (two checkouts) do not give two bridges one subnet.
    private static string NewBridgeAddress() => $"172.31.{Random.Shared.Next(1, 255)}.1/24";

    private readonly int _pid;
    private readonly string _bridge;

    private PrivateEngine(string root, int pid, string bridge)
    {
        Root = root;
        _pid = pid;
        _bridge = bridge;
        DockerCommand = Path.Combine(root, "docker");
        // BuildRunner runs "docker" with the process environment: a wrapper points just its own calls
        // at this engine, leaving DOCKER_HOST of the test process (shared by parallel tests) alone.
        File.WriteAllText(DockerCommand, $"#!/bin/sh\nDOCKER_HOST='{DockerHost}' exec docker \"$@\"\n");
        File.SetUnixFileMode(DockerCommand, (UnixFileMode)0b111_101_101);
    }

    /// <summary>The folder that holds all of the engine's state.</summary>
    public string Root { get; }

    /// <summary>The engine's socket, for DOCKER_HOST.</summary>
    public string DockerHost => "unix://" + Path.Combine(Root, "docker.sock");

    /// <summary>A docker CLI that talks to this engine (for <see cref="ContainerImage.Build.BuildRunner"/>).</summary>
    public string DockerCommand { get; }

    private string ExecRoot => Path.Combine(Root, "exec");

    /// <summary>Starts the engine and waits until it answers; fails with its log when it does not.</summary>
    public static async Task<PrivateEngine> StartAsync()
    {
        // Short: a unix socket path must stay under 108 bytes.
        var root = Directory.CreateTempSubdirectory("cimg-fresh-").FullName;
        File.WriteAllText(Path.Combine(root, "daemon.json"), "{\"features\": {\"containerd-snapshotter\": true}}\n");
        var log = Path.Combine(root, "dockerd.log");
        var bridge = "cimgfr" + Guid.NewGuid().ToString("N")[..6]; // interface names: at most 15 bytes
        var sharedBridgeExisted = LinkExists(SharedBridge);
        CreateBridge(bridge);
        // exec keeps the pid: the one recorded is dockerd's own, and its output goes to a file no pipe can block.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (string[])
        [
            "-c", "exec \"$0\" \"$@\" >\"$CIMG_FRESH_LOG\" 2>&1", "dockerd",
            "--config-file", Path.Combine(root, "daemon.json"),
            "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=" + bridge,
            "-H", "unix://" + Path.Combine(root, "docker.sock"),
            "--data-root", Path.Combine(root, "data"), "--exec-root", Path.Combine(root, "exec"),
            "--pidfile", Path.Combine(root, "dockerd.pid"),
        ]) start.ArgumentList.Add(argument);
        start.Environment["CIMG_FRESH_LOG"] = log;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dockerd did not start");
        var engine = new PrivateEngine(root, process.Id, bridge);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited) break;
            if (await engine.DockerAsync("version", "--format", "{{.Server.Version}}") is { Code: 0 })
            {
                if (!sharedBridgeExisted || LinkExists(SharedBridge)) return engine;
                engine.Dispose();
                throw new AssertFailedException($"Starting the private engine removed the shared engine's {SharedBridge}.");
            }
            await Task.Delay(250);
        }
        var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
        engine.Dispose();
        throw new AssertFailedException($"The private engine did not answer within {StartTimeout.TotalSeconds} s:\n{tail}");
    }

    /// <summary>Runs the docker CLI against this engine.</summary>
    public async Task<(int Code, string Output, string Error)> DockerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(DockerCommand) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Stops dockerd (and the containerd it started) by pid, unmounts leftovers and deletes the folder.</summary>
    public void Dispose()
    {
        // dockerd writes its managed containerd's pid here; read it before dockerd removes it.
        var containerdPid = ReadPid(Path.Combine(ExecRoot, "containerd", "containerd.pid"));
        Stop(_pid);
        if (containerdPid is { } pid) Stop(pid);
        Unmount();
        Run("ip", "link", "delete", _bridge);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Snapshots hold files with modes .NET cannot delete through; rm can, as root.
            Run("rm", "-rf", Root);
        }
    }

    /// <summary>SIGTERM (dockerd shuts down its containers and containerd), then SIGKILL if it is still there.</summary>
    private static void Stop(int pid)
    {
        if (!Alive(pid)) return;
        Run("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        while (Alive(pid) && clock.Elapsed < StopTimeout) Thread.Sleep(200);
        if (Alive(pid)) Run("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // A zombie (exited, not yet reaped by us, its parent) still has /proc/<pid>: read its state.
    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Overlay snapshots and the exec root's mounts that a stopped daemon may leave; deepest first.</summary>
    private void Unmount()
    {
        var mounts = File.ReadAllLines("/proc/mounts")
            .Select(line => line.Split(' ')[1])
            .Where(point => point.StartsWith(Root + "/", StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in mounts)
        {
            if (Run("umount", point) != 0) Run("umount", "-l", point);
        }
    }

    private static void CreateBridge(string name)
    {
        foreach (var command in new[]
        {
            new[] { "link", "add", name, "type", "bridge" },
            ["addr", "add", NewBridgeAddress(), "dev", name],
            ["link", "set", name, "up"],
        })
        {
            if (Run("ip", command) != 0)
            {
                Run("ip", "link", "delete", name);
                throw new AssertFailedException($"'ip {string.Join(' ', command)}' failed: the private engine needs a bridge of its own (run as root).");
            }
        }
    }

    private static bool LinkExists(string name) => Directory.Exists("/sys/class/net/" + name);

    private static int? ReadPid(string file)
        => File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : null;

    private static int Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
