using System.Globalization;
using System.IO.Compression;
using ContainerImage.Tests.EndToEnd;
using Engine = ContainerImage.Tests.EndToEnd.Engine;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// What a build leaves outside the project, for the secret search: buildx's own state folder, files written
/// to the temp folder, and the engine's side (BuildKit's build history database, the content blobs written
/// since, which hold build history logs and traces as well as layers, and the engine log). Linux only, as
/// the engine tests are; places the test cannot read (another user's engine) are left out and named.
/// </summary>
internal static class EngineSide
{
    private const long MaxFileBytes = 64L << 20;

    /// <summary>The engine log's current length (0 when the engine was not started by eng/engine.sh).</summary>
    public static long LogLength() => EngineLog is { } log && File.Exists(log) ? new FileInfo(log).Length : 0;

    /// <summary>Every such place written since <paramref name="since"/>, by name, with its bytes (gzip blobs decompressed).</summary>
    public static IEnumerable<(string Place, byte[] Content)> WrittenSince(DateTime since, long logOffset, IReadOnlyCollection<string> exclude)
    {
        var excluded = new HashSet<string>(exclude.Select(Path.GetFullPath), StringComparer.Ordinal);
        var engineRoot = EngineRoot();
        var skip = new List<string>();
        if (EngineLog is { } log) skip.Add(Path.GetDirectoryName(log)!);
        if (engineRoot is not null) skip.Add(engineRoot);

        var buildx = Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } config ? config
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "buildx");
        foreach (var file in RegularFilesSince(buildx, since, []))
        {
            yield return ("buildx state " + Path.GetRelativePath(buildx, file), Read(file));
        }
        foreach (var file in RegularFilesSince(Path.GetTempPath(), since, skip).Where(f => !excluded.Contains(f)))
        {
            yield return ("temp " + file, Read(file));
        }
        if (engineRoot is not null)
        {
            var history = Path.Combine(engineRoot, "buildkit", "history.db");
            if (File.Exists(history)) yield return ("engine BuildKit history.db", Read(history));
            foreach (var blob in RegularFilesSince(Path.Combine(engineRoot, "containerd"), since, []).Where(f => f.Contains("/blobs/", StringComparison.Ordinal)))
            {
                yield return ("engine content blob " + Path.GetFileName(blob), Decompressed(Read(blob)));
            }
        }
        if (EngineLog is { } engineLog && File.Exists(engineLog))
        {
            using var stream = new FileStream(engineLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(logOffset, stream.Length), SeekOrigin.Begin);
            using var rest = new MemoryStream();
            stream.CopyTo(rest);
            yield return ("engine log (this test's part)", rest.ToArray());
        }
    }

    // eng/engine.sh keeps dockerd.log beside the socket.
    private static string? EngineLog
        => Engine.DockerHost.StartsWith("unix://", StringComparison.Ordinal)
            ? Path.Combine(Path.GetDirectoryName(Engine.DockerHost["unix://".Length..])!, "dockerd.log")
            : null;

    private static string? EngineRoot()
    {
        var info = Engine.Docker("info", "--format", "{{.DockerRootDir}}");
        var root = info.Output.Trim();
        return info.ExitCode == 0 && Directory.Exists(root) ? root : null;
    }

    // find(1) lists regular files only: a socket or FIFO in the temp folder must never be opened.
    private static IEnumerable<string> RegularFilesSince(string folder, DateTime since, IReadOnlyList<string> skip)
    {
        if (!Directory.Exists(folder)) return [];
        var epoch = new DateTimeOffset(since.AddSeconds(-1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        List<string> arguments = [folder, "-xdev"];
        foreach (var path in skip) arguments.AddRange(["-path", path.TrimEnd('/'), "-prune", "-o"]);
        arguments.AddRange(["-type", "f", "-newermt", "@" + epoch, "-size", "-" + (MaxFileBytes / 1024) + "k", "-print"]);
        var found = DotNet.RunProcess("find", folder, arguments);
        // find exits 1 when some folder vanished or was unreadable while it walked (other tests): what it listed stands.
        return found.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('/')).Select(l => l.Trim()).ToList();
    }

    private static byte[] Read(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed between the listing and the read (another test's temp file): nothing left to hold a value.
            return [];
        }
    }

    private static byte[] Decompressed(byte[] blob)
    {
        if (blob.Length < 2 || blob[0] != 0x1f || blob[1] != 0x8b) return blob;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            output.Write(blob);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return blob;
        }
    }
}
