using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using ContainerImage.Build;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;
using ContainerImage.Tests.Registry;

namespace ContainerImage.Tests.Build;

/// <summary>
/// <see cref="OciLayoutArchive"/> on a layout written here as buildx writes it without <c>rewrite-timestamp</c> (one
/// plain-tar layer dated at the epoch, plus a stray blob of an earlier build): deterministic bytes, exactly the
/// referenced blobs, readable back into the same image.
/// </summary>
[TestClass]
public sealed class OciLayoutArchiveTests
{
    private const long Epoch = 1_700_000_000;
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";



    /// <summary>Writes a one-layer layout named <paramref name="name"/> (its file dated a day after the epoch) and a stray blob; returns the stray blob's digest.</summary>
    internal static string WriteLayout(string layout, string name)
    {
        var blobs = new LayoutWriter(layout);
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "app/a.txt")
            {
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(Epoch + 86_400),
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("alpha\n")),
            });
        }
        var layer = tar.ToArray();
        var created = DateTimeOffset.FromUnixTimeSeconds(Epoch).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(OciDigest.Of(layer)) },
            ["history"] = new JsonArray(new JsonObject { ["created"] = created, ["created_by"] = "COPY app/ /app/ # buildkit" }),
        };
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = blobs.BlobJson(Encoding.UTF8.GetBytes(config.ToJsonString()), "application/vnd.oci.image.config.v1+json"),
            ["layers"] = new JsonArray(blobs.BlobJson(layer, "application/vnd.oci.image.layer.v1.tar")),
        };
        var entry = blobs.BlobJson(Encoding.UTF8.GetBytes(manifest.ToJsonString()), ManifestType);
        entry["annotations"] = new JsonObject { ["io.containerd.image.name"] = name, ["org.opencontainers.image.ref.name"] = "1" };
        File.WriteAllText(Path.Combine(layout, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(entry) }.ToJsonString());
        var stray = Encoding.UTF8.GetBytes("an earlier build's layer");
        return blobs.Blob(stray, LayoutWriter.Layer).Digest;
    }

    private static byte[] Archive(OciLayout layout)
    {
        var output = new MemoryStream();
        OciLayoutArchive.Write(layout, output, Epoch);
        return output.ToArray();
    }

    [TestMethod]
    public async Task TheArchiveIsDeterministicAndHoldsExactlyTheReferencedBlobs()
    {
        using var folder = new TempDirectory();
        var layoutFolder = Path.Combine(folder.Path, "oci-layout");
        var stray = WriteLayout(layoutFolder, "reg.example/app:1");
        var layout = LayerRetimer.Retime(layoutFolder, Epoch, "app", _ => { });

        var first = Archive(layout);
        var second = Archive(layout);
        var streamed = new MemoryStream();
        await OciLayoutArchive.WriteAsync(layout, streamed, Epoch, CancellationToken.None);

        CollectionAssert.AreEqual(first, second, "the same layout, the same bytes");
        CollectionAssert.AreEqual(first, streamed.ToArray(), "the streamed archive is the file's");
        var referenced = layout.Manifests.Select(m => m.Descriptor.Digest).Concat(layout.Blobs.Select(b => b.Digest))
            .Distinct().Order(StringComparer.Ordinal).Select(d => "blobs/sha256/" + d[7..]);
        string[] expected = ["oci-layout", "index.json", "blobs/", "blobs/sha256/", .. referenced];
        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(first));
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
            Assert.AreEqual(Epoch, entry.ModificationTime.ToUnixTimeSeconds(), entry.Name);
            Assert.AreEqual(0, entry.Uid, entry.Name);
            Assert.AreEqual(0, entry.Gid, entry.Name);
            var posix = (PosixTarEntry)entry;
            Assert.AreEqual("", posix.UserName, entry.Name);
            Assert.AreEqual("", posix.GroupName, entry.Name);
            var mode = entry.EntryType == TarEntryType.Directory ? 0b111_101_101 : 0b110_100_100;
            Assert.AreEqual(mode, (int)entry.Mode, entry.Name);
            if (entry.Name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && entry.EntryType == TarEntryType.RegularFile)
            {
                var content = new MemoryStream();
                entry.DataStream!.CopyTo(content);
                Assert.AreEqual("sha256:" + entry.Name[13..], OciDigest.Of(content.ToArray()), "a blob's name is its content's digest");
            }
        }
        CollectionAssert.AreEqual(expected, names);
        CollectionAssert.DoesNotContain(names, "blobs/sha256/" + stray[7..], "an earlier build's blob is not part of the image");
        Assert.IsTrue(LayerRetimer.SourcesOf(layout).All(s => !names.Contains("blobs/sha256/" + s[7..])), "the re-timer's plain-tar sources stay out");
    }

    [TestMethod]
    public async Task TheArchiveExtractedIsTheSameLayout()
    {
        using var folder = new TempDirectory();
        var layoutFolder = Path.Combine(folder.Path, "oci-layout");
        WriteLayout(layoutFolder, "reg.example/app:1");
        var layout = LayerRetimer.Retime(layoutFolder, Epoch, "app", _ => { });
        var extracted = Path.Combine(folder.Path, "extracted");
        Directory.CreateDirectory(extracted);

        await TarFile.ExtractToDirectoryAsync(new MemoryStream(Archive(layout)), extracted, overwriteFiles: false);

        var read = OciLayout.Read(extracted, "app");
        Assert.AreEqual(layout.Image, read.Image);
        CollectionAssert.AreEqual(layout.Blobs.ToArray(), read.Blobs.ToArray());
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(layoutFolder, "index.json")), File.ReadAllBytes(Path.Combine(extracted, "index.json")),
            "index.json keeps the names docker load tags the image with");
        Assert.AreEqual("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(extracted, "oci-layout")));
    }
}
