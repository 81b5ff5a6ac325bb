using System.Buffers.Binary;
using System.Text;

namespace ContainerImage.Context;

/// <summary>
/// Reading the two binary caches in obj/ (<see cref="FileHasher"/>'s per-file hashes and
/// <see cref="LayerManifestCache"/>): both are written with <see cref="BinaryWriter"/> and read back from one
/// span, so the string and count encodings and the hex form of a stored hash live here once. A damaged file
/// throws <see cref="FormatException"/> or an out-of-range exception, which each cache turns into "no cache".
/// </summary>
internal static class CacheFileFormat
{
    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> wrote it: 7-bit encoded length, then UTF-8.</summary>
    public static string ReadString(ReadOnlySpan<byte> span, ref int offset)
    {
        var length = Read7BitLength(span, ref offset);
        var text = Encoding.UTF8.GetString(span.Slice(offset, length));
        offset += length;
        return text;
    }

    /// <summary>A non-negative 32-bit little-endian count.</summary>
    public static int ReadCount(ReadOnlySpan<byte> span, ref int offset)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(offset, 4));
        offset += 4;
        return count >= 0 ? count : throw new FormatException("negative count");
    }

    /// <summary>Lowercase hex of <paramref name="bytes"/> in one allocation (Convert.ToHexString + ToLowerInvariant makes two).</summary>
    public static string LowerHex(ReadOnlySpan<byte> bytes)
    {
        const string digits = "0123456789abcdef";
        Span<char> chars = bytes.Length <= 128 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = digits[bytes[i] >> 4];
            chars[2 * i + 1] = digits[bytes[i] & 0xF];
        }
        return new string(chars);
    }

    // BinaryWriter's string length prefix: 7 bits per byte, low bits first, at most 5 bytes.
    private static int Read7BitLength(ReadOnlySpan<byte> span, ref int offset)
    {
        var result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = span[offset++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result >= 0 ? result : throw new FormatException("bad string length");
        }
        throw new FormatException("bad string length");
    }
}
