using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ContainerImage.Context;

namespace ContainerImage.Benchmarks;

/// <summary>
/// A quick profile of hashing a tree (not BenchmarkDotNet: seconds instead of minutes), used to find where
/// FileHasher's time goes: reading only, hashing only (bytes in memory), both on one core, and FileHasher
/// (parallel) with the page cache warm. Prints wall and CPU time per variant with the load average.
/// </summary>
public static class HashProbe
{
    /// <summary>Runs every variant <paramref name="rounds"/> times and prints the best of each.</summary>
    public static int Run(string tree, int rounds)
    {
        var files = BenchTrees.Files(tree);
        var bytes = files.Sum(f => f.Length);
        var buffer = new byte[1 << 20];
        var contents = files.Select(f => File.ReadAllBytes(f.SourcePath)).ToArray();
        Console.WriteLine("| Variant | Wall (best) | Wall GB/s | CPU time (best) | GB per CPU-second | Load average |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        var variants = new (string Name, Action Body)[]
        {
            ("read only, 1 core", () => { foreach (var f in files) ReadAll(f.SourcePath, buffer); }),
            ("sha256 in memory, 1 core", () => { foreach (var c in contents) SHA256.HashData(c); }),
            ("sha256 in memory, all cores", () => Parallel.ForEach(contents, c => SHA256.HashData(c))),
            ("read+sha256, 1 core", () => { foreach (var f in files) ReadAndHash(f.SourcePath, buffer); }),
            ("read+sha256, all cores", () => Parallel.ForEach(files, f => ReadAndHash(f.SourcePath, t_buffer ??= new byte[1 << 20]))),
            ("read+oneshot sha256, all cores", () => Parallel.ForEach(files, f => ReadAndHashOneShot(f.SourcePath, t_buffer ??= new byte[1 << 20]))),
            ("read+sha256 64K, all cores", () => Parallel.ForEach(files, f => ReadAndHash(f.SourcePath, t_small ??= new byte[1 << 16]))),
            ("mmap+sha256, all cores", () => Parallel.ForEach(files, f => MapAndHash(f.SourcePath))),
            ("open+close only, 1 core", () => { foreach (var f in files) File.OpenHandle(f.SourcePath).Dispose(); }),
            ("FileHasher.HashFile, 1 core", () => { var hasher = new FileHasher(); foreach (var f in files) hasher.HashFile(f.SourcePath); }),
            ("stat+fullpath only, 1 core", () => { foreach (var f in files) { var i = new FileInfo(Path.GetFullPath(f.SourcePath)); _ = i.Length + i.LastWriteTimeUtc.Ticks; } }),
            ("FileHasher (parallel)", () => new FileHasher().Hash(files)),
        };
        foreach (var (name, body) in variants)
        {
            double best = double.MaxValue, bestCpu = double.MaxValue;
            for (var i = 0; i < rounds; i++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                body();
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            }
            // CPU seconds barely depend on what else runs on the machine; wall time does, a lot.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {best:0.000} s | {bytes / best / 1e9:0.00} GB/s | {bestCpu:0.000} s | {bytes / bestCpu / 1e9:0.00} GB/s | {File.ReadAllText("/proc/loadavg").Trim()} |"));
        }
        return 0;
    }

    [ThreadStatic] private static byte[]? t_buffer;
    [ThreadStatic] private static byte[]? t_small;

    private static unsafe void MapAndHash(string path)
    {
        using var map = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, 0, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            SHA256.HashData(new ReadOnlySpan<byte>(pointer + view.PointerOffset, checked((int)view.Capacity)));
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static void ReadAndHashOneShot(string path, byte[] buffer)
    {
        using var handle = File.OpenHandle(path);
        int filled = 0, read;
        while (filled < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled)) > 0) filled += read;
        if (filled < buffer.Length) SHA256.HashData(buffer.AsSpan(0, filled));
        else ReadAndHash(path, buffer);
    }

    private static void ReadAll(string path, byte[] buffer)
    {
        using var handle = File.OpenHandle(path);
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, offset)) > 0) offset += read;
    }

    private static void ReadAndHash(string path, byte[] buffer)
    {
        using var handle = File.OpenHandle(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            offset += read;
        }
        hash.GetHashAndReset();
    }
}
