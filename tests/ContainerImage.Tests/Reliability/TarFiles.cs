using System.Globalization;
using System.Text;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Reads the regular files of a tar stream (as <c>docker export</c> writes it): ustar headers, PAX
/// <c>path</c> records and GNU long names. Written here because System.Formats.Tar refuses a PAX path
/// record whose value holds a newline, and such file names are exactly what the hostile sample copies.
/// </summary>
internal static class TarFiles
{
    private const int Block = 512;

    /// <summary>Every regular file whose path starts with <paramref name="prefix"/>, by the rest of its path.</summary>
    public static Dictionary<string, byte[]> Read(string archive, string prefix)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var stream = File.OpenRead(archive);
        var header = new byte[Block];
        string? longName = null;
        while (ReadExactly(stream, header) && header.Any(b => b != 0))
        {
            var octal = Field(header, 124, 12).Trim();
            var size = octal.Length == 0 ? 0 : Convert.ToInt64(octal, 8);
            var type = (char)header[156];
            var data = new byte[size];
            if (!ReadExactly(stream, data)) throw new InvalidDataException("the archive ends inside an entry");
            stream.Seek((Block - size % Block) % Block, SeekOrigin.Current);
            switch (type)
            {
                case 'x': longName = PaxPath(data) ?? longName; continue;
                case 'L': longName = Encoding.UTF8.GetString(data).TrimEnd('\0'); continue;
                case 'g': continue;
            }
            var name = longName ?? UstarName(header);
            longName = null;
            if (type is not ('0' or '\0')) continue;
            name = name.TrimStart('.', '/');
            if (name.StartsWith(prefix, StringComparison.Ordinal)) files[name[prefix.Length..]] = data;
        }
        return files;
    }

    private static string UstarName(byte[] header)
    {
        var name = Field(header, 0, 100);
        var prefix = Encoding.ASCII.GetString(header, 257, 5) == "ustar" ? Field(header, 345, 155) : "";
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    // Records are "<length> <key>=<value>\n" where length counts the whole record, so a value may hold '\n'.
    private static string? PaxPath(byte[] data)
    {
        string? path = null;
        var i = 0;
        while (i < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', i);
            if (space < 0) break;
            var length = int.Parse(Encoding.ASCII.GetString(data, i, space - i), NumberStyles.None, CultureInfo.InvariantCulture);
            var record = data.AsSpan(space + 1, i + length - space - 2);
            var equals = record.IndexOf((byte)'=');
            if (Encoding.UTF8.GetString(record[..equals]) == "path") path = Encoding.UTF8.GetString(record[(equals + 1)..]);
            i += length;
        }
        return path;
    }

    private static string Field(byte[] header, int offset, int length)
    {
        var field = header.AsSpan(offset, length);
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static bool ReadExactly(Stream stream, byte[] buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
