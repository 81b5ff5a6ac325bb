using System.Diagnostics;
using System.Runtime.InteropServices;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.MultiArch;

/// <summary>
/// What multi-platform tests need beyond <see cref="Engine"/>: the two-platform busybox base and a way
/// to run arm64 binaries (qemu registered in binfmt_misc on an amd64 Linux host), both set up by
/// <c>eng/engine.sh up</c>. Missing either fails the test with the reason (inconclusive only with
/// CIMG_SKIP_ENGINE_TESTS=1, as for the engine itself): an arm64 build must never pass unseen.
/// </summary>
internal static class MultiArchEngine
{
    /// <summary>busybox for linux/amd64 and linux/arm64 in one index.</summary>
    public const string MultiArchBusybox = Engine.RegistryAddress + "/local/busybox:multiarch";

    /// <summary>Where the kernel lists the arm64 emulator when it is registered.</summary>
    public const string Arm64BinfmtEntry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";

    /// <summary>The two platforms every multi-arch test builds.</summary>
    public static IReadOnlyList<Platform> BothPlatforms { get; } = [Platform.LinuxAmd64, Platform.LinuxArm64];

    private static readonly Lazy<Task<string?>> Problem = new(FindProblemAsync);

    /// <summary>Fails (or with CIMG_SKIP_ENGINE_TESTS=1 is inconclusive) unless the engine, the base and arm64 emulation are there.</summary>
    public static async Task RequireAsync()
    {
        await Engine.RequireAsync();
        if (await Problem.Value is not { } problem) return;
        var message = problem + " Run 'eng/engine.sh up' (it installs qemu-user-static, registers it and pushes the base)";
        if (Environment.GetEnvironmentVariable(Engine.SkipVariable) == "1") Assert.Inconclusive(message);
        Assert.Fail(message);
    }

    /// <summary>The result of a docker CLI call, stdout and stderr apart (docker run warns on stderr).</summary>
    public sealed record DockerOutcome(int ExitCode, string Output, string Error);

    /// <summary>Runs the docker CLI (DOCKER_HOST inherited) and waits at most two minutes.</summary>
    public static async Task<DockerOutcome> DockerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"docker {string.Join(' ', arguments)} did not finish within two minutes.");
        }
        return new DockerOutcome(process.ExitCode, await output, await error);
    }

    private static async Task<string?> FindProblemAsync()
    {
        if (OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64 && IsLocalEngine())
        {
            // buildx lists linux/arm64 even without an emulator; only the kernel's entry says RUN steps can work.
            var entry = File.Exists(Arm64BinfmtEntry) ? File.ReadLines(Arm64BinfmtEntry).FirstOrDefault() : null;
            if (entry != "enabled")
            {
                return entry is null
                    ? $"arm64 emulation is not registered: {Arm64BinfmtEntry} does not exist (binfmt_misc not mounted, or qemu-user-static not registered), so linux/arm64 RUN steps cannot run."
                    : $"arm64 emulation is registered but '{entry}' in {Arm64BinfmtEntry}.";
            }
        }
        using var client = new RegistryClient();
        var check = await client.CheckAsync(MultiArchBusybox, BothPlatforms);
        return check.State == ExistenceState.Exists
            ? null
            : $"The base image {MultiArchBusybox} is not there for linux/amd64 and linux/arm64 ({check.State}: {check.Detail}).";
    }

    /// <summary>True when the engine runs on this machine, so this kernel's binfmt_misc is the one its builds use.</summary>
    private static bool IsLocalEngine()
        => Environment.GetEnvironmentVariable("DOCKER_HOST") is not { Length: > 0 } host || host.StartsWith("unix://", StringComparison.Ordinal);
}
