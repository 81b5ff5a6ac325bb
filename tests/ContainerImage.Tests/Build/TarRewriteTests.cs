using System.Formats.Tar;
using System.Text;
using ContainerImage.Build;

namespace ContainerImage.Tests.Build;

/// <summary>
/// The rewrite of a <c>COPY --link</c> chunk's tar (<see cref="TarRewrite"/>): the destination's folder chain dropped,
/// entries below it kept and given the plain chunk's owner, times clamped; written here in ustar, PAX and GNU form
/// with <see cref="TarWriter"/> and read back with <see cref="TarReader"/> (which checks every header's checksum).
/// </summary>
[TestClass]
public sealed class TarRewriteTests
{
    private static readonly DateTimeOffset Later = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly TarOwner App = new(1000, 1001, "app", "appgroup");

    // Longer than the 100-byte name field: PAX writes a 'path' record, GNU an 'L' long-name entry before the header.
    private static readonly string LongFolder = "srv/" + string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 5));

    private sealed record Listed(string Name, TarEntryType Type, int Uid, int Gid, string UserName, string GroupName, DateTimeOffset Time, string Content);

    private static TarEntry Entry(TarEntryFormat format, TarEntryType type, string name, string? content = null, IDictionary<string, string>? pax = null)
    {
        if (type == TarEntryType.RegularFile && format == TarEntryFormat.V7) type = TarEntryType.V7RegularFile;
        TarEntry entry = format switch
        {
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            TarEntryFormat.Pax => pax is null ? new PaxTarEntry(type, name) : new PaxTarEntry(type, name, pax),
            TarEntryFormat.V7 => new V7TarEntry(type, name),
            _ => new GnuTarEntry(type, name),
        };
        entry.ModificationTime = Later;
        entry.Mode = type == TarEntryType.Directory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100;
        if (entry is PosixTarEntry posix)
        {
            posix.UserName = "root";
            posix.GroupName = "root";
        }
        if (content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return entry;
    }

    private static long Padded(long size) => (size + 511) / 512 * 512;

    private static TarEntry Link(string name, string target)
    {
        var link = Entry(TarEntryFormat.Gnu, TarEntryType.SymbolicLink, name);
        link.LinkName = target;
        return link;
    }

    private static byte[] Write(TarEntryFormat format, params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, format, leaveOpen: true))
        {
            foreach (var entry in entries) writer.WriteEntry(entry);
        }
        return stream.ToArray();
    }

    /// <summary>A linked chunk as BuildKit writes it for <paramref name="destination"/>: the folder chain from the root, then the chunk's files.</summary>
    private static byte[] LinkedChunk(TarEntryFormat format, string destination)
    {
        var entries = new List<TarEntry> { Entry(format, TarEntryType.Directory, "./") };
        var parts = destination.Split('/');
        for (var i = 1; i <= parts.Length; i++) entries.Add(Entry(format, TarEntryType.Directory, string.Join('/', parts[..i]) + "/"));
        entries.Add(Entry(format, TarEntryType.RegularFile, destination + "/main.py", "print('main')\n"));
        entries.Add(Entry(format, TarEntryType.Directory, destination + "/pkg/"));
        entries.Add(Entry(format, TarEntryType.RegularFile, destination + "/pkg/mod.py", new string('x', 3000)));
        return Write(format, [.. entries]);
    }

    private static List<Listed> List(byte[] tar)
    {
        var entries = new List<Listed>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            var content = entry.DataStream is null ? "" : new StreamReader(entry.DataStream).ReadToEnd();
            var posix = entry as PosixTarEntry;
            entries.Add(new Listed(entry.Name, entry.EntryType, entry.Uid, entry.Gid, posix?.UserName ?? "", posix?.GroupName ?? "", entry.ModificationTime, content));
        }
        return entries;
    }

    private static (bool Changed, byte[] Output) Rewrite(byte[] tar, long epoch, TarRewrite rewrite)
    {
        var output = new MemoryStream();
        var changed = TarTimestampClamp.Clamp(new MemoryStream(tar), output, epoch, rewrite);
        return (changed, output.ToArray());
    }

    [TestMethod]
    [DataRow(TarEntryFormat.Ustar, "home/app")]
    [DataRow(TarEntryFormat.Pax, "home/app")]
    [DataRow(TarEntryFormat.Gnu, "home/app")]
    [DataRow(TarEntryFormat.Pax, "LONG")]
    [DataRow(TarEntryFormat.Gnu, "LONG")]
    [DataRow(TarEntryFormat.Ustar, "LONG")]
    public void TheDestinationChainIsDroppedAndEntriesBelowItKeptWithTheOwner(TarEntryFormat format, string destination)
    {
        if (destination == "LONG") destination = LongFolder;
        var tar = LinkedChunk(format, destination);
        const long epoch = 1_000_000;

        var (changed, output) = Rewrite(tar, epoch, new TarRewrite("/" + destination + "/", App));

        Assert.IsTrue(changed);
        Assert.AreEqual(0, output.Length % 512);
        var before = List(tar);
        var after = List(output);
        var expected = before.Where(e => e.Name.StartsWith(destination + "/", StringComparison.Ordinal) && e.Name.Length > destination.Length + 1)
            .Select(e => e with { Uid = 1000, Gid = 1001, UserName = "app", GroupName = "appgroup", Time = DateTimeOffset.FromUnixTimeSeconds(epoch) })
            .ToList();
        Assert.AreEqual(3, expected.Count);
        CollectionAssert.AreEqual(expected, after, string.Join("\n", after));
        // Every header's checksum is valid: the clamp itself refuses one that is not.
        Assert.IsFalse(Rewrite(output, epoch, new TarRewrite("/" + destination + "/", App)).Changed);
    }

    [TestMethod]
    [DataRow("./home/app/")]
    [DataRow("/home/app")]
    [DataRow("home/app/")]
    public void TheDestinationIsComparedNormalized(string destination)
    {
        var tar = Write(TarEntryFormat.Pax,
            Entry(TarEntryFormat.Pax, TarEntryType.Directory, "."),
            Entry(TarEntryFormat.Pax, TarEntryType.Directory, "./home/"),
            Entry(TarEntryFormat.Pax, TarEntryType.Directory, "/home/app"),
            Entry(TarEntryFormat.Pax, TarEntryType.RegularFile, "./home/app/a.txt", "a"));

        var (_, output) = Rewrite(tar, Later.ToUnixTimeSeconds(), new TarRewrite(destination, null));

        CollectionAssert.AreEqual(new[] { "./home/app/a.txt" }, List(output).Select(e => e.Name).ToArray());
    }

    [TestMethod]
    public void AFileNamedLikeTheDestinationOrAFolderBesideItIsKept()
    {
        var tar = Write(TarEntryFormat.Gnu,
            Entry(TarEntryFormat.Gnu, TarEntryType.Directory, "srv/"),
            Entry(TarEntryFormat.Gnu, TarEntryType.RegularFile, "srv/app", "not a folder"),
            Link("srv", "srv-elsewhere"),
            Entry(TarEntryFormat.Gnu, TarEntryType.Directory, "srv/application/"),
            Entry(TarEntryFormat.Gnu, TarEntryType.Directory, "sr/"));

        var (changed, output) = Rewrite(tar, Later.ToUnixTimeSeconds(), new TarRewrite("/srv/app/", null));

        Assert.IsTrue(changed);
        var after = List(output);
        CollectionAssert.AreEqual(new[] { "srv/app", "srv", "srv/application/", "sr/" }, after.Select(e => e.Name).ToArray());
        Assert.AreEqual("not a folder", after[0].Content);
        Assert.IsTrue(after.All(e => e.Uid == 0 && e.UserName == "root"), "no owner given: owners are left");
    }

    /// <summary>An entry whose owner needs PAX records (.NET writes uid/gid above 7 octal digits and names above 32 bytes there).</summary>
    private static PaxTarEntry PaxOwned(TarEntryType type, string name)
    {
        var entry = (PaxTarEntry)Entry(TarEntryFormat.Pax, type, name, type == TarEntryType.RegularFile ? "f" : null, new Dictionary<string, string> { ["user.note"] = "kept" });
        entry.Uid = 3_000_000;
        entry.Gid = 3_000_001;
        entry.UserName = new string('u', 40);
        entry.GroupName = new string('g', 40);
        return entry;
    }

    [TestMethod]
    public void PaxOwnerRecordsAreRewrittenAndOtherRecordsKept()
    {
        var tar = Write(TarEntryFormat.Pax, PaxOwned(TarEntryType.Directory, "app/"), PaxOwned(TarEntryType.RegularFile, "app/f.txt"));
        using (var original = new TarReader(new MemoryStream(tar)))
        {
            var written = (PaxTarEntry)original.GetNextEntry()!;
            Assert.AreEqual("3000000", written.ExtendedAttributes["uid"], "the input carries PAX owner records");
            Assert.AreEqual(new string('u', 40), written.ExtendedAttributes["uname"]);
        }

        var (changed, output) = Rewrite(tar, Later.ToUnixTimeSeconds(), new TarRewrite("/app/", new TarOwner(2_500_000, 1000)));

        Assert.IsTrue(changed);
        using var reader = new TarReader(new MemoryStream(output));
        var entry = (PaxTarEntry)reader.GetNextEntry()!;
        Assert.AreEqual("app/f.txt", entry.Name);
        Assert.AreEqual("2500000", entry.ExtendedAttributes["uid"]);
        Assert.AreEqual("1000", entry.ExtendedAttributes["gid"]);
        Assert.AreEqual("kept", entry.ExtendedAttributes["user.note"]);
        Assert.AreEqual(new string('u', 40), entry.ExtendedAttributes["uname"], "no names given: names are left");
        Assert.AreEqual(2_500_000, entry.Uid);
        Assert.AreEqual(1000, entry.Gid);
        Assert.AreEqual(Later, entry.ModificationTime, "times at or before the epoch are left");
        Assert.IsNull(reader.GetNextEntry());
        // The uid does not fit the 7 octal digits of the header field: base-256 there, as GNU tar writes it.
        var header = output.AsSpan(512 + (int)Padded(TarHeader.ReadNumber(output[..512], 124)), 512).ToArray();
        Assert.AreEqual((byte)'0', header[156]);
        Assert.AreEqual(0x80, header[108] & 0x80);
        Assert.AreEqual(2_500_000, TarHeader.ReadNumber(header, 108, 8));

        var (_, named) = Rewrite(tar, Later.ToUnixTimeSeconds(), new TarRewrite("/app/", App));
        var renamed = (PaxTarEntry)new TarReader(new MemoryStream(named)).GetNextEntry()!;
        Assert.AreEqual(("app", "appgroup", "app", "appgroup", "1000", "1001"), (renamed.ExtendedAttributes["uname"], renamed.ExtendedAttributes["gname"],
            renamed.UserName, renamed.GroupName, renamed.ExtendedAttributes["uid"], renamed.ExtendedAttributes["gid"]));
    }

    [TestMethod]
    public void AV7TarGetsTheNumericOwnerOnly()
    {
        var tar = Write(TarEntryFormat.V7,
            Entry(TarEntryFormat.V7, TarEntryType.Directory, "app/"),
            Entry(TarEntryFormat.V7, TarEntryType.RegularFile, "app/f.txt", "f"));

        var (_, output) = Rewrite(tar, 0, new TarRewrite("/app", App));

        var after = List(output);
        Assert.AreEqual(1, after.Count);
        Assert.AreEqual(("app/f.txt", 1000, 1001, DateTimeOffset.UnixEpoch), (after[0].Name, after[0].Uid, after[0].Gid, after[0].Time));
        // A V7 header has no name fields: the bytes where ustar keeps them stay zero.
        Assert.IsTrue(output.AsSpan(257, 100).IndexOfAnyExcept((byte)0) < 0);
    }

    [TestMethod]
    public void AnOwnerTheEntriesAlreadyHaveChangesNothing()
    {
        var tar = Write(TarEntryFormat.Ustar, Entry(TarEntryFormat.Ustar, TarEntryType.RegularFile, "app/f.txt", "f"));

        var (changed, output) = Rewrite(tar, Later.ToUnixTimeSeconds(), new TarRewrite("/app/", new TarOwner(0, 0, "root", "root")));

        Assert.IsFalse(changed);
        CollectionAssert.AreEqual(tar, output);
    }

    [TestMethod]
    public void TheRewriteIsPartOfTheCacheKey()
    {
        Assert.AreEqual("", TarRewrite.None.CacheKeySuffix);
        var linked = new TarRewrite("/home/app/", App).CacheKeySuffix;
        Assert.AreEqual("@home/app@1000:1001:app:appgroup", linked);
        Assert.AreNotEqual(linked, new TarRewrite("/home/app/", App with { Gid = 1000 }).CacheKeySuffix);
        Assert.AreNotEqual(linked, new TarRewrite("/srv/app/", App).CacheKeySuffix);
    }
}
