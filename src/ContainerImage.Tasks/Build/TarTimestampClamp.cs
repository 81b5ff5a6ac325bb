using System.Globalization;
using System.Text;

namespace ContainerImage.Build;

/// <summary>
/// Clamps the file times of a tar stream to an epoch, header by header, without unpacking it: what BuildKit's
/// <c>rewrite-timestamp</c> does to the layers a build adds, done once per new layer by the SDK instead of on
/// every export. File data is copied unchanged (skipped by each header's size field); only times later than
/// the epoch change: the ustar mtime field, the GNU atime/ctime fields, and PAX <c>mtime</c>/<c>atime</c>/<c>ctime</c>
/// records (the PAX block is rewritten with its new size). Each changed header gets its checksum recomputed.
/// </summary>
public static class TarTimestampClamp
{
    private const int BlockSize = 512;
    private const int SizeOffset = 124;
    private const int MtimeOffset = 136;
    private const int ChecksumOffset = 148;
    private const int TypeOffset = 156;
    private const int MagicOffset = 257;
    private const int GnuAtimeOffset = 345;
    private const int GnuCtimeOffset = 357;
    private const int NumericFieldLength = 12;

    // A PAX header holds a few records; a larger one is not a layer BuildKit wrote, and is refused rather than buffered.
    private const long MaxPaxBytes = 16 * 1024 * 1024;
    private static readonly string[] PaxTimeKeys = ["mtime", "atime", "ctime"];

    /// <summary>
    /// Copies the tar in <paramref name="input"/> to <paramref name="output"/> with every file time later than
    /// <paramref name="epoch"/> (seconds since 1970) set to it. Returns true when any header changed. Throws
    /// <see cref="InvalidDataException"/> for a stream that is not a tar (bad checksum, truncated, a field that
    /// is not a number).
    /// </summary>
    public static bool Clamp(Stream input, Stream output, long epoch)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var header = new byte[BlockSize];
        var buffer = new byte[1024 * 1024];
        var changed = false;
        while (ReadBlock(input, header))
        {
            if (header.All(b => b == 0))
            {
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
                changed |= ClampPax(input, output, header, size, epoch);
                continue;
            }
            var headerChanged = ClampField(header, MtimeOffset, epoch);
            if (IsGnu(header))
            {
                headerChanged |= ClampField(header, GnuAtimeOffset, epoch);
                headerChanged |= ClampField(header, GnuCtimeOffset, epoch);
            }
            if (headerChanged) WriteChecksum(header);
            changed |= headerChanged;
            output.Write(header);
            CopyExactly(input, output, Padded(size), buffer);
        }
        return changed;
    }

    /// <summary>A PAX extended header: its records are read whole, time records clamped, and the block rewritten with its new size.</summary>
    private static bool ClampPax(Stream input, Stream output, byte[] header, long size, long epoch)
    {
        if (size > MaxPaxBytes) throw new InvalidDataException($"a PAX header of {size} bytes");
        var data = new byte[Padded(size)];
        if (input.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) != data.Length) throw new InvalidDataException("the tar ends inside a PAX header");
        var records = ParsePax(data.AsSpan(0, (int)size));
        var changed = false;
        for (var i = 0; i < records.Count; i++)
        {
            var (key, value) = records[i];
            if (PaxTimeKeys.Contains(key) && IsLater(value, epoch))
            {
                records[i] = (key, epoch.ToString(CultureInfo.InvariantCulture));
                changed = true;
            }
        }
        if (!changed)
        {
            output.Write(header);
            output.Write(data);
            return false;
        }
        var content = FormatPax(records);
        WriteOctal(header, SizeOffset, content.Length);
        WriteChecksum(header);
        output.Write(header);
        output.Write(content);
        output.Write(new byte[Padded(content.Length) - content.Length]);
        return true;
    }

    /// <summary>Records are "LEN KEY=VALUE\n", LEN counting the whole record in bytes (POSIX pax).</summary>
    private static List<(string Key, string Value)> ParsePax(ReadOnlySpan<byte> data)
    {
        var records = new List<(string, string)>();
        while (data.Length > 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
            {
                throw new InvalidDataException("a PAX record without a valid length");
            }
            var record = Encoding.UTF8.GetString(data[(space + 1)..(length - 1)]);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new InvalidDataException("a PAX record without '='");
            records.Add((record[..equals], record[(equals + 1)..]));
            data = data[length..];
        }
        return records;
    }

    private static byte[] FormatPax(List<(string Key, string Value)> records)
    {
        var result = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var body = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3; // ' ', '=', '\n'
            // The length counts its own digits: grow it until it is stable.
            var length = body + 1;
            while (length != body + length.ToString(CultureInfo.InvariantCulture).Length)
            {
                length = body + length.ToString(CultureInfo.InvariantCulture).Length;
            }
            result.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{length} {key}={value}\n")));
        }
        return result.ToArray();
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
        if (ReadNumber(header, offset) <= epoch) return false;
        WriteOctal(header, offset, epoch);
        return true;
    }

    /// <summary>A numeric field: octal digits (space/NUL padded), or base-256 when the first byte's high bit is set (GNU, for large values).</summary>
    internal static long ReadNumber(byte[] header, int offset)
    {
        var field = header.AsSpan(offset, NumericFieldLength);
        if ((field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0) throw new InvalidDataException("a negative base-256 number in a tar header");
            long value = field[0] & 0x3f;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8)) throw new InvalidDataException("a base-256 number too large for a tar header");
                value = (value << 8) | b;
            }
            return value;
        }
        long octal = 0;
        var seenDigit = false;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (seenDigit) break;
                continue;
            }
            if (b is < (byte)'0' or > (byte)'7') throw new InvalidDataException("a tar header field that is not an octal number");
            octal = checked((octal << 3) + (b - '0'));
            seenDigit = true;
        }
        return octal;
    }

    private static void WriteOctal(byte[] header, int offset, long value)
    {
        // 11 digits and a NUL: the width Go's and GNU tar's writers use for size and times.
        var text = Convert.ToString(value, 8).PadLeft(NumericFieldLength - 1, '0');
        if (text.Length > NumericFieldLength - 1) throw new InvalidDataException("a value too large for an octal tar field");
        Encoding.ASCII.GetBytes(text, header.AsSpan(offset));
        header[offset + NumericFieldLength - 1] = 0;
    }

    private static bool IsGnu(byte[] header) => header.AsSpan(MagicOffset, 8).SequenceEqual("ustar  \0"u8);

    private static long Checksum(byte[] header)
    {
        long sum = 0;
        for (var i = 0; i < BlockSize; i++) sum += i is >= ChecksumOffset and < ChecksumOffset + 8 ? ' ' : header[i];
        return sum;
    }

    private static void RequireChecksum(byte[] header)
    {
        if (ReadNumber(header.AsSpan(ChecksumOffset, 8).ToArray().Concat(new byte[4]).ToArray(), 0) != Checksum(header))
        {
            throw new InvalidDataException("a tar header whose checksum does not match");
        }
    }

    private static void WriteChecksum(byte[] header)
    {
        // Six octal digits, NUL, space: the traditional layout every reader accepts.
        Encoding.ASCII.GetBytes(Convert.ToString(Checksum(header), 8).PadLeft(6, '0'), header.AsSpan(ChecksumOffset));
        header[ChecksumOffset + 6] = 0;
        header[ChecksumOffset + 7] = (byte)' ';
    }

    private static long Padded(long size) => (size + BlockSize - 1) / BlockSize * BlockSize;

    private static bool ReadBlock(Stream input, byte[] block)
    {
        var read = input.ReadAtLeast(block, BlockSize, throwOnEndOfStream: false);
        if (read == 0) return false;
        if (read != BlockSize) throw new InvalidDataException("the tar ends inside a header");
        return true;
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
