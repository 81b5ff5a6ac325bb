using System.Formats.Tar;
using System.Text;
using ContainerImage.Build;

namespace ContainerImage.Tests.Build;

/// <summary>The SDK's timestamp clamp on tars written here in every format a layer may use, read back with <see cref="TarReader"/>.</summary>
[TestClass]
public sealed class TarTimestampClampTests
{
    private static readonly DateTimeOffset Later = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly string LongName = "app/" + string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 8)) + "/file.txt";

    private static byte[] Write(TarEntryFormat format, DateTimeOffset time, bool longName)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, format, leaveOpen: true))
        {
            writer.WriteEntry(Entry(format, TarEntryType.Directory, "app/", time, null));
            writer.WriteEntry(Entry(format, RegularType(format), "app/hello.txt", time, "hello, world\n"));
            writer.WriteEntry(Entry(format, RegularType(format), "app/big.bin", time, new string('x', 70_000)));
            if (longName) writer.WriteEntry(Entry(format, RegularType(format), LongName, time, "deep\n"));
        }
        return stream.ToArray();
    }

    private static TarEntryType RegularType(TarEntryFormat format) => format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile;

    private static TarEntry Entry(TarEntryFormat format, TarEntryType type, string name, DateTimeOffset time, string? content)
    {
        TarEntry entry = format switch
        {
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            TarEntryFormat.Pax => new PaxTarEntry(type, name),
            _ => new GnuTarEntry(type, name),
        };
        entry.ModificationTime = time;
        entry.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        entry.Uid = 1000;
        entry.Gid = 100;
        if (entry is GnuTarEntry gnu)
        {
            gnu.AccessTime = time;
            gnu.ChangeTime = time;
        }
        if (content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return entry;
    }

    private static List<(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, long Length, DateTimeOffset Time, string Content)> List(byte[] tar)
    {
        var entries = new List<(string, TarEntryType, UnixFileMode, int, long, DateTimeOffset, string)>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            var content = entry.DataStream is null ? "" : new StreamReader(entry.DataStream).ReadToEnd();
            entries.Add((entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Length, entry.ModificationTime, content));
        }
        return entries;
    }

    private static (bool Changed, byte[] Output) Clamp(byte[] tar, long epoch)
    {
        var output = new MemoryStream();
        var changed = TarTimestampClamp.Clamp(new MemoryStream(tar), output, epoch);
        return (changed, output.ToArray());
    }

    [TestMethod]
    [DataRow(TarEntryFormat.Ustar)]
    [DataRow(TarEntryFormat.Pax)]
    [DataRow(TarEntryFormat.Gnu)]
    public void LaterTimesBecomeTheEpochAndNothingElseChanges(TarEntryFormat format)
    {
        // Sub-second: PAX then records the mtime as a PAX record, which must be clamped too.
        var time = format == TarEntryFormat.Pax ? Later.AddMilliseconds(250) : Later;
        var tar = Write(format, time, longName: format != TarEntryFormat.Ustar);
        const long epoch = 1_000_000_000;

        var (changed, output) = Clamp(tar, epoch);

        Assert.IsTrue(changed);
        Assert.AreEqual(0, output.Length % 512);
        var before = List(tar);
        var after = List(output);
        Assert.AreEqual(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.AreEqual(before[i] with { Time = DateTimeOffset.FromUnixTimeSeconds(epoch) }, after[i], before[i].Name);
        }
        if (format == TarEntryFormat.Gnu)
        {
            using var reader = new TarReader(new MemoryStream(output));
            var gnu = (GnuTarEntry)reader.GetNextEntry()!;
            Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(epoch), gnu.AccessTime);
            Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(epoch), gnu.ChangeTime);
        }
    }

    [TestMethod]
    [DataRow(TarEntryFormat.Ustar)]
    [DataRow(TarEntryFormat.Pax)]
    [DataRow(TarEntryFormat.Gnu)]
    public void TimesAtOrBeforeTheEpochLeaveTheTarByteForByte(TarEntryFormat format)
    {
        var tar = Write(format, Later, longName: format != TarEntryFormat.Ustar);

        var (changed, output) = Clamp(tar, Later.ToUnixTimeSeconds() + 1);

        Assert.IsFalse(changed);
        CollectionAssert.AreEqual(tar, output);
    }

    [TestMethod]
    public void PaxAccessAndChangeTimesAreClampedAndTheRecordLengthsRewritten()
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "f.txt", new Dictionary<string, string>
            {
                ["atime"] = "1714979289.123456789",
                ["ctime"] = "1714979289.5",
                ["user.note"] = "kept",
            }) { ModificationTime = Later, DataStream = new MemoryStream("x"u8.ToArray()) };
            writer.WriteEntry(entry);
        }

        var (changed, output) = Clamp(stream.ToArray(), 0);

        Assert.IsTrue(changed);
        using var reader = new TarReader(new MemoryStream(output));
        var read = (PaxTarEntry)reader.GetNextEntry()!;
        Assert.AreEqual("0", read.ExtendedAttributes["atime"]);
        Assert.AreEqual("0", read.ExtendedAttributes["ctime"]);
        Assert.AreEqual("kept", read.ExtendedAttributes["user.note"]);
        Assert.AreEqual(DateTimeOffset.UnixEpoch, read.ModificationTime);
        Assert.AreEqual("x", new StreamReader(read.DataStream!).ReadToEnd());
        Assert.IsNull(reader.GetNextEntry());
    }

    [TestMethod]
    public void ABase256SizeFieldIsFollowedToTheNextHeader()
    {
        var tar = Write(TarEntryFormat.Gnu, Later, longName: false);
        // Re-encode the second entry's size (13 bytes) in base-256, as GNU tar does for files of 8 GiB and more.
        var header = FindHeader(tar, "app/hello.txt");
        Array.Clear(tar, header + 124, 12);
        tar[header + 124] = 0x80;
        tar[header + 135] = 13;
        FixChecksum(tar, header);

        var (changed, output) = Clamp(tar, 0);

        Assert.IsTrue(changed);
        Assert.AreEqual(13, TarHeader.ReadNumber(output[header..(header + 512)], 124), "the size field is left as it was");
        var names = List(output).Select(e => (e.Name, e.Time, e.Content.Length)).ToList();
        CollectionAssert.AreEqual(new[]
        {
            ("app/", DateTimeOffset.UnixEpoch, 0), ("app/hello.txt", DateTimeOffset.UnixEpoch, 13), ("app/big.bin", DateTimeOffset.UnixEpoch, 70_000),
        }, names);
    }

    [TestMethod]
    public void AStreamThatIsNotATarIsRefused()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('z', 1024));
        Assert.ThrowsExactly<InvalidDataException>(() => Clamp(bytes, 0));
        var truncated = Write(TarEntryFormat.Ustar, Later, longName: false)[..700];
        Assert.ThrowsExactly<InvalidDataException>(() => Clamp(truncated, 0));
    }

    private static int FindHeader(byte[] tar, string name)
    {
        for (var offset = 0; offset < tar.Length; offset += 512)
        {
            if (Encoding.ASCII.GetString(tar, offset, name.Length) == name && tar[offset + name.Length] == 0) return offset;
        }
        throw new AssertFailedException("no header " + name);
    }

    private static void FixChecksum(byte[] tar, int header)
    {
        long sum = 0;
        for (var i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? ' ' : tar[header + i];
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0'), tar.AsSpan(header + 148));
        tar[header + 154] = 0;
        tar[header + 155] = (byte)' ';
    }
}
