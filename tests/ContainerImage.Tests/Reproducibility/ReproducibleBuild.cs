using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Tests.Context;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>
/// Builds one declared image through the whole public pipeline (model, context planner and writer,
/// Dockerfile writer, build runner) from a source tree that <see cref="SourceTree"/> writes, and
/// makes the engine forget everything between two builds.
/// </summary>
internal static partial class ReproducibleBuild
{
    /// <summary>A file of the declared source folder: its content and whether it is executable.</summary>
    public sealed record SourceFile(string RelativePath, string Content, bool Executable = false);

    /// <summary>The files every test starts from: plain and executable files, one in a sub-folder.</summary>
    public static readonly IReadOnlyList<SourceFile> Files =
    [
        new("app.py", "print('hello')\n"),
        new("run.sh", "#!/bin/sh\nexec python3 app.py\n", Executable: true),
        new("conf/settings.yaml", "level: info\n"),
        new("conf/z-last.txt", "z\n"),
    ];

    /// <summary>
    /// How the build machine left the files: the permission bits a umask gives (0022 gives 0644/0755,
    /// 0002 gives 0664/0775, 0077 gives 0600/0700), the order they were created in and their times.
    /// </summary>
    public sealed record Machine(UnixFileMode PlainMode, UnixFileMode ExecutableMode, bool ReverseOrder, DateTime Time);

    /// <summary>A machine with umask 0022 that wrote the files in order, in 2021.</summary>
    public static readonly Machine First = new(
        (UnixFileMode)0b110_100_100, (UnixFileMode)0b111_101_101, false, new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc));

    /// <summary>A machine with umask 0002 that wrote the files in reverse order, years later.</summary>
    public static readonly Machine Second = new(
        (UnixFileMode)0b110_110_100, (UnixFileMode)0b111_111_101, true, new DateTime(2025, 10, 11, 12, 13, 14, DateTimeKind.Utc));

    /// <summary>A machine with umask 0077.</summary>
    public static readonly Machine Private = new(
        (UnixFileMode)0b110_000_000, (UnixFileMode)0b111_000_000, false, new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    /// <summary>Writes <paramref name="files"/> under <paramref name="root"/> as <paramref name="machine"/> would have.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void SourceTree(string root, IEnumerable<SourceFile> files, Machine machine)
    {
        var ordered = machine.ReverseOrder ? files.Reverse().ToList() : files.ToList();
        var offset = 0;
        foreach (var file in ordered)
        {
            var path = Path.Combine(root, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
            File.SetUnixFileMode(path, file.Executable ? machine.ExecutableMode : machine.PlainMode);
            // Every file its own time, as files edited at different moments have.
            File.SetLastWriteTimeUtc(path, machine.Time.AddMinutes(offset++));
        }
        foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(folder, machine.ExecutableMode);
        }
    }

    /// <summary>The declared image: busybox + the source folder + an environment variable + a RUN step that writes a file.</summary>
    public static Image Declare(string sourceFolder, string repository, string tag)
        => Image.FromBase(Engine.BusyboxImage, Engine.RegistryAddress, repository)
            .WithSourceFolder(sourceFolder, "/app")
            .WithEnvVars([new("GREETING", "hello")])
            .WithCommands(["echo built > /app/built.txt && mkdir -p /var/app && cp /app/conf/settings.yaml /var/app/"])
            .WithTag(tag);

    /// <summary>
    /// Plans, writes and builds <paramref name="image"/> in <paramref name="workFolder"/> with the
    /// request's defaults (on the engine <paramref name="runner"/>'s docker CLI talks to: the shared
    /// one by default), returning the build's result and output.
    /// </summary>
    public static async Task<(BuildResult Result, List<string> Output)> BuildAsync(
        Image image, string workFolder, OutputMode output, Func<BuildRequest, BuildRequest>? change = null, BuildRunner? runner = null)
    {
        var plan = ContextPlanner.Plan(image);
        var context = Path.Combine(workFolder, "context");
        ContextWriter.Write(plan, context);
        var dockerfile = Path.Combine(context, "Dockerfile");
        File.WriteAllText(dockerfile, DockerfileWriter.Write(image, plan));
        var request = new BuildRequest
        {
            ContextDirectory = context,
            DockerfilePath = dockerfile,
            Tags = [image.Uri],
            Platforms = [Platform.LinuxAmd64],
            MetadataFile = Path.Combine(workFolder, "obj", "metadata.json"),
            Output = output,
            ArchivePath = output is OutputMode.OciArchive or OutputMode.DockerArchive ? Path.Combine(workFolder, "image.tar") : null,
        };
        if (change is not null) request = change(request);
        var lines = new List<string>();
        var result = await (runner ?? new BuildRunner()).RunAsync(request, lines.Add);
        result.EnsureSuccess(image.Uri);
        return (result, lines);
    }

    /// <summary>
    /// Makes the engine's build state fresh: the whole build cache pruned (safe for everyone: only
    /// cache) and this test's own images removed from the engine.
    /// </summary>
    public static void ForgetEverything(params string[] ownImages)
    {
        DockerCli.Run("buildx", "prune", "--all", "--force");
        foreach (var image in ownImages) DockerCli.TryRun("image", "rm", "--force", image);
    }

    /// <summary>
    /// True when the build output says the RUN step came from the cache (plain progress prints
    /// <c>#N [2/4] RUN ...</c> and then <c>#N CACHED</c> for it).
    /// </summary>
    public static bool RunStepWasCached(IReadOnlyList<string> output)
    {
        var runSteps = output.Select(line => RunStepLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.AreNotEqual(0, runSteps.Count, "the build output shows no RUN step:\n" + string.Join('\n', output));
        return output.Any(line => runSteps.Any(step => line.Trim() == $"#{step} CACHED"));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^#(\d+) \[[^\]]*\] RUN ")]
    private static partial System.Text.RegularExpressions.Regex RunStepLine();
}
