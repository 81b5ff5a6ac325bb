using System.Diagnostics;
using System.Globalization;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// The ContainerImage.Sdk package, packed once per test run with a unique version into a temp feed
/// (a re-packed SDK with a reused version is served stale from the NuGet cache), plus a private
/// NUGET_PACKAGES folder that every end-to-end build of this run shares.
/// </summary>
internal static class SdkPackage
{
    private static readonly Lazy<PackedSdk> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Packs on first use; later calls return the same package.</summary>
    public static PackedSdk Get() => Packed.Value;

    private static PackedSdk Pack()
    {
        var version = "0.1.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999);
        var root = Path.Combine(Path.GetTempPath(), "cimg-e2e", version);
        var feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(feed);
        var project = Path.Combine(Repository.Root, "src", "ContainerImage.Sdk", "ContainerImage.Sdk.csproj");
        var result = DotNet.Run(Repository.Root, ["pack", project, "-c", "Debug", "-o", feed, "-p:Version=" + version,
            "-nodeReuse:false", "--disable-build-servers", "-bl:" + Path.Combine(root, "pack.binlog")], nugetPackages: null);
        var package = Path.Combine(feed, $"ContainerImage.Sdk.{version}.nupkg");
        if (result.ExitCode != 0 || !File.Exists(package))
        {
            throw new InvalidOperationException($"dotnet pack failed (exit {result.ExitCode}); binlog {root}/pack.binlog:\n{result.Output}");
        }
        return new PackedSdk(version, root, feed, package, Path.Combine(root, "packages"));
    }
}

/// <summary>A packed SDK.</summary>
/// <param name="Version">Its unique version.</param>
/// <param name="Root">The run's temp root.</param>
/// <param name="Feed">The local feed folder.</param>
/// <param name="PackagePath">The .nupkg.</param>
/// <param name="NuGetPackages">The private NUGET_PACKAGES folder.</param>
internal sealed record PackedSdk(string Version, string Root, string Feed, string PackagePath, string NuGetPackages);

/// <summary>The repository checkout the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContainerImage.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ContainerImage.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The outcome of a child process.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">stdout and stderr, interleaved as they came.</param>
internal sealed record ProcessResult(int ExitCode, string Output);

/// <summary>Runs the dotnet CLI (or docker) as a child process with a clean MSBuild environment.</summary>
internal static class DotNet
{
    // Set by MSBuildLocator / the test host; a child dotnet must find its own MSBuild.
    private static readonly string[] Stripped = ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH", "MSBuildLoadMicrosoftTargetsReadOnly"];

    public static ProcessResult Run(string workingDirectory, IEnumerable<string> arguments, string? nugetPackages,
        IReadOnlyDictionary<string, string>? environment = null)
        => RunProcess("dotnet", workingDirectory, arguments, env => ConfigureChild(env, nugetPackages, environment));

    /// <summary>The environment of a child dotnet: a clean MSBuild, no reused nodes, the private package folder, plus <paramref name="environment"/>.</summary>
    public static void ConfigureChild(IDictionary<string, string?> env, string? nugetPackages, IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var name in Stripped) env.Remove(name);
        // A reused MSBuild node or server would keep an older task dll loaded.
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        if (nugetPackages is not null) env["NUGET_PACKAGES"] = nugetPackages;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
    }

    public static ProcessResult RunProcess(string fileName, string workingDirectory, IEnumerable<string> arguments,
        Action<IDictionary<string, string?>>? configure = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        configure?.Invoke(info.Environment);
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new ProcessResult(process.ExitCode, output.ToString());
    }
}
