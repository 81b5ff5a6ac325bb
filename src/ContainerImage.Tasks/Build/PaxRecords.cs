using System.Globalization;
using System.Text;

namespace ContainerImage.Build;

/// <summary>The records of a PAX extended header: "LEN KEY=VALUE\n", LEN counting the whole record in bytes (POSIX pax).</summary>
internal static class PaxRecords
{
    /// <summary>A PAX header holds a few records; a larger one is not a layer BuildKit wrote, and is refused rather than buffered.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    public static List<(string Key, string Value)> Parse(ReadOnlySpan<byte> data)
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

    public static byte[] Format(List<(string Key, string Value)> records)
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
}
