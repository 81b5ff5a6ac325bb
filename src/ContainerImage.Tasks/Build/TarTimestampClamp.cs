using System.Globalization;
using System.Text;
using static ContainerImage.Build.TarHeader;

namespace ContainerImage.Build;

/// <summary>
/// Clamps the file times of a tar stream to an epoch, header by header, without unpacking it: what BuildKit's
/// <c>rewrite-timestamp</c> does to the layers a build adds, done once per new layer by the SDK instead of on
/// every export. File data is copied unchanged (skipped by each header's size field); only times later than
/// the epoch change: the ustar mtime field, the GNU atime/ctime fields, and PAX <c>mtime</c>/<c>atime</c>/<c>ctime</c>
/// records (the PAX block is rewritten with its new size). Each changed header gets its checksum recomputed.
/// A <see cref="TarRewrite"/> also drops a linked chunk's destination-chain folders and sets the owner.
/// </summary>
public static class TarTimestampClamp
{
    private static readonly string[] PaxTimeKeys = ["mtime", "atime", "ctime"];

    /// <summary>
    /// Copies the tar in <paramref name="input"/> to <paramref name="output"/> with every file time later than
    /// <paramref name="epoch"/> (seconds since 1970) set to it. Returns true when any header changed. Throws
    /// <see cref="InvalidDataException"/> for a stream that is not a tar (bad checksum, truncated, a field that
    /// is not a number).
    /// </summary>
    public static bool Clamp(Stream input, Stream output, long epoch) => Clamp(input, output, epoch, TarRewrite.None);

    /// <summary>
    /// As <see cref="Clamp(Stream, Stream, long)"/>, and also: drops every directory entry whose path is
    /// <see cref="TarRewrite.Destination"/> or a folder above it (with the PAX or GNU long-name headers that precede
    /// it), and sets uid, gid (and, when given, user and group names) of every kept entry to <see cref="TarRewrite.Owner"/>,
    /// in the header fields and in PAX records. Returns true when anything changed.
    /// </summary>
    public static bool Clamp(Stream input, Stream output, long epoch, TarRewrite rewrite)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rewrite);
        if (rewrite.Owner is { } owner && (owner.Uid < 0 || owner.Gid < 0)) throw new ArgumentOutOfRangeException(nameof(rewrite), "a negative uid or gid");
        var dropped = rewrite.DroppedFolders();
        var header = new byte[BlockSize];
        var buffer = new byte[1024 * 1024];
        var changed = false;
        // The extension headers ('x', 'L', 'K') describe the entry after them: they are held until that entry is
        // known to be kept, and dropped with it otherwise.
        var pending = new MemoryStream();
        var pendingChanged = false;
        string? extendedPath = null;
        while (ReadBlock(input, header))
        {
            if (header.All(b => b == 0))
            {
                if (pending.Length > 0) throw new InvalidDataException("the tar ends after an extended header");
                // The end-of-archive blocks: copy them and whatever padding follows, as they are.
                output.Write(header);
                input.CopyTo(output);
                break;
            }
            RequireChecksum(header);
            var size = ReadNumber(header, SizeOffset);
            var type = (char)header[TypeOffset];
            if (type is 'x' or 'g')
            {
                var (block, path, paxChanged) = RewritePax(input, header, size, epoch, rewrite.Owner);
                if (type == 'g')
                {
                    // A global header describes no one entry: it is never dropped.
                    output.Write(block);
                    changed |= paxChanged;
                }
                else
                {
                    pending.Write(block);
                    pendingChanged |= paxChanged;
                    extendedPath = path ?? extendedPath;
                }
                continue;
            }
            var timesChanged = ClampTimes(header, epoch);
            if (type is 'L' or 'K')
            {
                if (timesChanged) WriteChecksum(header);
                var data = ReadExtension(input, size);
                pending.Write(header);
                pending.Write(data);
                pendingChanged |= timesChanged;
                // A PAX path wins over a GNU long name, as in every reader.
                if (type == 'L') extendedPath ??= Encoding.UTF8.GetString(data.AsSpan(0, (int)size)).TrimEnd('\0');
                continue;
            }
            var entryPath = extendedPath ?? Path(header);
            extendedPath = null;
            if (type == '5' && dropped.Contains(TarPaths.Normalize(entryPath)))
            {
                // The entry and the extension headers that describe it go; its data (none, for a folder) is skipped.
                Skip(input, Padded(size), buffer);
                pending.SetLength(0);
                pendingChanged = false;
                changed = true;
                continue;
            }
            var headerChanged = SetOwner(header, rewrite.Owner) | timesChanged;
            if (headerChanged) WriteChecksum(header);
            changed |= pendingChanged | headerChanged;
            output.Write(pending.GetBuffer(), 0, (int)pending.Length);
            pending.SetLength(0);
            pendingChanged = false;
            output.Write(header);
            CopyExactly(input, output, Padded(size), buffer);
        }
        if (pending.Length > 0) throw new InvalidDataException("the tar ends after an extended header");
        return changed;
    }

    /// <summary>The mtime field, and GNU's atime/ctime; true when one changed (the caller then rewrites the checksum).</summary>
    private static bool ClampTimes(byte[] header, long epoch)
    {
        var changed = ClampField(header, MtimeOffset, epoch);
        if (IsGnu(header))
        {
            changed |= ClampField(header, GnuAtimeOffset, epoch);
            changed |= ClampField(header, GnuCtimeOffset, epoch);
        }
        return changed;
    }

    /// <summary>Sets uid/gid (and names, for ustar and GNU headers) to <paramref name="owner"/>; true when a byte changed.</summary>
    private static bool SetOwner(byte[] header, TarOwner? owner)
    {
        if (owner is null) return false;
        var before = (byte[])header.Clone();
        WriteNumber(header, UidOffset, owner.Uid, IdLength);
        WriteNumber(header, GidOffset, owner.Gid, IdLength);
        if (IsPosix(header) || IsGnu(header))
        {
            if (owner.UserName is not null) WriteText(header, UserNameOffset, OwnerNameLength, owner.UserName);
            if (owner.GroupName is not null) WriteText(header, GroupNameOffset, OwnerNameLength, owner.GroupName);
        }
        return !before.AsSpan().SequenceEqual(header);
    }

    /// <summary>
    /// A PAX extended header: its records are read whole, time and owner records rewritten, and the block written
    /// again with its new size. Returns the header and its data as they go out, the 'path' record, and whether it changed.
    /// </summary>
    private static (byte[] Block, string? Path, bool Changed) RewritePax(Stream input, byte[] header, long size, long epoch, TarOwner? owner)
    {
        var data = ReadExtension(input, size);
        var records = PaxRecords.Parse(data.AsSpan(0, (int)size));
        var changed = false;
        string? path = null;
        for (var i = 0; i < records.Count; i++)
        {
            var (key, value) = records[i];
            var replacement = key switch
            {
                "path" => null,
                _ when PaxTimeKeys.Contains(key) => IsLater(value, epoch) ? epoch.ToString(CultureInfo.InvariantCulture) : null,
                "uid" => owner?.Uid.ToString(CultureInfo.InvariantCulture),
                "gid" => owner?.Gid.ToString(CultureInfo.InvariantCulture),
                "uname" => owner?.UserName,
                "gname" => owner?.GroupName,
                _ => null,
            };
            if (key == "path") path = value;
            if (replacement is not null && replacement != value)
            {
                records[i] = (key, replacement);
                changed = true;
            }
        }
        var block = new MemoryStream();
        if (!changed)
        {
            block.Write(header);
            block.Write(data);
            return (block.ToArray(), path, false);
        }
        var content = PaxRecords.Format(records);
        var rewritten = (byte[])header.Clone();
        WriteNumber(rewritten, SizeOffset, content.Length);
        WriteChecksum(rewritten);
        block.Write(rewritten);
        block.Write(content);
        block.Write(new byte[Padded(content.Length) - content.Length]);
        return (block.ToArray(), path, true);
    }

    /// <summary>The data of an extension header (PAX records, a GNU long name), padded to whole blocks.</summary>
    private static byte[] ReadExtension(Stream input, long size)
    {
        if (size > PaxRecords.MaxBytes) throw new InvalidDataException($"an extended header of {size} bytes");
        var data = new byte[Padded(size)];
        if (input.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) != data.Length) throw new InvalidDataException("the tar ends inside an extended header");
        return data;
    }

    /// <summary>True when a PAX time ("1700000000.123", possibly negative) is later than <paramref name="epoch"/>.</summary>
    private static bool IsLater(string value, long epoch)
        => decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var time)
            ? time > epoch
            : throw new InvalidDataException($"a PAX time '{value}' that is not a number");

    private static bool ClampField(byte[] header, int offset, long epoch)
    {
        var field = header.AsSpan(offset, NumericFieldLength);
        // An empty GNU atime/ctime field means "not recorded": nothing to clamp.
        if (field.IndexOfAnyExcept((byte)0, (byte)' ') < 0) return false;
        if (TarHeader.ReadNumber(header, offset) <= epoch) return false;
        WriteNumber(header, offset, epoch);
        return true;
    }

    private static bool ReadBlock(Stream input, byte[] block)
    {
        var read = input.ReadAtLeast(block, BlockSize, throwOnEndOfStream: false);
        if (read == 0) return false;
        if (read != BlockSize) throw new InvalidDataException("the tar ends inside a header");
        return true;
    }

    private static void Skip(Stream input, long count, byte[] buffer)
    {
        while (count > 0)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0) throw new InvalidDataException("the tar ends inside a file");
            count -= read;
        }
    }

    private static void CopyExactly(Stream input, Stream output, long count, byte[] buffer)
    {
        while (count > 0)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0) throw new InvalidDataException("the tar ends inside a file");
            output.Write(buffer, 0, read);
            count -= read;
        }
    }
}
