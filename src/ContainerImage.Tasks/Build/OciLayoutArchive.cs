using System.Formats.Tar;
using System.Text;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>
/// Writes an <see cref="OciLayout"/> as an OCI image layout tar (what <c>docker load</c> reads and what an OCI archive
/// output is): <c>oci-layout</c>, <c>index.json</c>, the <c>blobs/</c> folders, then exactly the manifests, configs and
/// layers the index references, by digest. Not the layout folder's other files: the plain tars the re-timer keeps for
/// the next build are no part of the image. The same layout always gives the same bytes: a fixed entry order, every
/// time the epoch, owner 0:0 without names, mode 0644 (folders 0755).
/// </summary>
public static class OciLayoutArchive
{
    /// <summary>What buildx writes as <c>oci-layout</c>: the layout version, the only field the spec defines.</summary>
    internal static readonly byte[] LayoutVersion = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    // ustar's 11 octal digits; a larger layer needs a pax size record.
    private const long UstarMaxSize = 0x1_FFFF_FFFF;

    /// <summary>Writes <paramref name="layout"/> to <paramref name="output"/> (left open), every entry timed <paramref name="epoch"/> (Unix seconds).</summary>
    public static void Write(OciLayout layout, Stream output, long epoch)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var (entry, open) in Entries(layout, epoch))
        {
            using var data = open?.Invoke();
            if (data is not null) entry.DataStream = data;
            writer.WriteEntry(entry);
        }
    }

    /// <summary>As <see cref="Write"/>, asynchronously: for a pipe into <c>docker load</c>, cancellable between and within entries.</summary>
    public static async Task WriteAsync(OciLayout layout, Stream output, long epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var (entry, open) in Entries(layout, epoch))
        {
            await using var data = open?.Invoke();
            if (data is not null) entry.DataStream = data;
            await writer.WriteEntryAsync(entry, cancellationToken);
        }
    }

    /// <summary>The archive's paths, in order: what a reader of the archive (and a test) can expect.</summary>
    public static IReadOnlyList<string> EntryNames(OciLayout layout) => Entries(layout, 0).Select(e => e.Entry.Name).ToList();

    // Each entry with, for a file, how to open its content (opened only when written, one at a time).
    private static IEnumerable<(TarEntry Entry, Func<Stream>? Open)> Entries(OciLayout layout, long epoch)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var time = DateTimeOffset.FromUnixTimeSeconds(epoch);
        var indexPath = Path.Combine(layout.Folder, "index.json");
        var referenced = layout.Manifests.Select(m => m.Descriptor).Concat(layout.Blobs)
            .DistinctBy(d => d.Digest).OrderBy(d => d.Digest, StringComparer.Ordinal).ToList();
        yield return (File("oci-layout", LayoutVersion.Length, time), () => new MemoryStream(LayoutVersion, writable: false));
        yield return (File("index.json", new FileInfo(indexPath).Length, time), () => System.IO.File.OpenRead(indexPath));
        yield return (Folder("blobs/", time), null);
        yield return (Folder("blobs/sha256/", time), null);
        foreach (var blob in referenced)
        {
            var path = layout.BlobPath(blob.Digest);
            yield return (File("blobs/sha256/" + blob.Digest["sha256:".Length..], blob.Size, time), () => System.IO.File.OpenRead(path));
        }
    }

    private static TarEntry File(string name, long size, DateTimeOffset time)
    {
        TarEntry entry = size > UstarMaxSize ? new PaxTarEntry(TarEntryType.RegularFile, name) : new UstarTarEntry(TarEntryType.RegularFile, name);
        return Stamp(entry, FileMode, time);
    }

    private static TarEntry Folder(string name, DateTimeOffset time) => Stamp(new UstarTarEntry(TarEntryType.Directory, name), FolderMode, time);

    private static TarEntry Stamp(TarEntry entry, UnixFileMode mode, DateTimeOffset time)
    {
        entry.Mode = mode;
        entry.ModificationTime = time;
        entry.Uid = 0;
        entry.Gid = 0;
        return entry;
    }
}
