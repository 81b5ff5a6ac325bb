using System.Text;

namespace ContainerImage.Build;

/// <summary>The fields of one 512-byte tar header (ustar, GNU, V7) that the SDK's layer rewrite reads and writes.</summary>
internal static class TarHeader
{
    public const int BlockSize = 512;
    public const int NameOffset = 0;
    public const int NameLength = 100;
    public const int UidOffset = 108;
    public const int GidOffset = 116;
    public const int IdLength = 8;
    public const int SizeOffset = 124;
    public const int MtimeOffset = 136;
    public const int ChecksumOffset = 148;
    public const int TypeOffset = 156;
    public const int MagicOffset = 257;
    public const int UserNameOffset = 265;
    public const int GroupNameOffset = 297;
    public const int OwnerNameLength = 32;
    public const int PrefixOffset = 345;
    public const int PrefixLength = 155;
    public const int GnuAtimeOffset = 345;
    public const int GnuCtimeOffset = 357;
    public const int NumericFieldLength = 12;

    /// <summary>GNU tar's magic and version ("ustar  \0"): offset 345 holds atime/ctime, not a name prefix.</summary>
    public static bool IsGnu(byte[] header) => header.AsSpan(MagicOffset, 8).SequenceEqual("ustar  \0"u8);

    /// <summary>POSIX ustar (and PAX): "ustar\0" with a name prefix at 345.</summary>
    public static bool IsPosix(byte[] header) => header.AsSpan(MagicOffset, 6).SequenceEqual("ustar\0"u8);

    /// <summary>The entry's path from its own fields: the ustar prefix and name, or the name alone (GNU, V7).</summary>
    public static string Path(byte[] header)
    {
        var name = Text(header, NameOffset, NameLength);
        if (!IsPosix(header)) return name;
        var prefix = Text(header, PrefixOffset, PrefixLength);
        return prefix.Length == 0 ? name : prefix + "/" + name;
    }

    /// <summary>A NUL-terminated (or full-width) text field.</summary>
    public static string Text(byte[] header, int offset, int length)
    {
        var field = header.AsSpan(offset, length);
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>Writes a text field NUL-padded; a value longer than the field is refused (it would need a PAX record).</summary>
    public static void WriteText(byte[] header, int offset, int length, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > length) throw new InvalidDataException($"'{value}' is longer than the {length} bytes of its tar header field");
        var field = header.AsSpan(offset, length);
        field.Clear();
        bytes.CopyTo(field);
    }

    /// <summary>A numeric field: octal digits (space/NUL padded), or base-256 when the first byte's high bit is set (GNU, for large values).</summary>
    public static long ReadNumber(byte[] header, int offset, int length = NumericFieldLength)
    {
        var field = header.AsSpan(offset, length);
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

    /// <summary>
    /// Writes a number as zero-padded octal and a NUL (11 digits for size and times, 7 for uid/gid: the widths Go's and
    /// GNU tar's writers use); one too large for that is written base-256, as GNU tar and Go do.
    /// </summary>
    public static void WriteNumber(byte[] header, int offset, long value, int length = NumericFieldLength)
    {
        if (value < 0) throw new InvalidDataException("a negative number for a tar header field");
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        if (text.Length <= length - 1)
        {
            Encoding.ASCII.GetBytes(text, header.AsSpan(offset));
            header[offset + length - 1] = 0;
            return;
        }
        var field = header.AsSpan(offset, length);
        for (var i = length - 1; i > 0; i--, value >>= 8) field[i] = (byte)(value & 0xff);
        if (value != 0) throw new InvalidDataException("a value too large for a tar header field");
        field[0] = 0x80;
    }

    public static long Checksum(byte[] header)
    {
        long sum = 0;
        for (var i = 0; i < BlockSize; i++) sum += i is >= ChecksumOffset and < ChecksumOffset + 8 ? ' ' : header[i];
        return sum;
    }

    public static void RequireChecksum(byte[] header)
    {
        if (ReadNumber(header, ChecksumOffset, 8) != Checksum(header))
        {
            throw new InvalidDataException("a tar header whose checksum does not match");
        }
    }

    public static void WriteChecksum(byte[] header)
    {
        // Six octal digits, NUL, space: the traditional layout every reader accepts.
        Encoding.ASCII.GetBytes(Convert.ToString(Checksum(header), 8).PadLeft(6, '0'), header.AsSpan(ChecksumOffset));
        header[ChecksumOffset + 6] = 0;
        header[ChecksumOffset + 7] = (byte)' ';
    }

    public static long Padded(long size) => (size + BlockSize - 1) / BlockSize * BlockSize;
}
