using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;
using ContainerImage.Tests.Registry;

namespace ContainerImage.Tests.Build;

/// <summary>
/// <see cref="LayerRetimer"/> with <see cref="LinkedChunk"/>s on an OCI layout written here as buildx writes it
/// without <c>rewrite-timestamp</c>: a gzip base layer, then a plain chunk (<c>--chown=app:app</c>) and a linked
/// chunk as plain tars, their history entries dated at the epoch.
/// </summary>
[TestClass]
public sealed class LinkedChunkRetimeTests
{
    private const long Epoch = 1_700_000_000;
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private static readonly DateTimeOffset Later = DateTimeOffset.FromUnixTimeSeconds(Epoch + 86_400);
    private static readonly LinkedChunk Part1 = new("layers/1/part1/", "/home/app/", "layers/1/part0/");

    private static TarEntry Entry(TarEntryType type, string name, int owner, string user, string? content = null)
    {
        var entry = new PaxTarEntry(type, name)
        {
            ModificationTime = Later,
            Uid = owner,
            Gid = owner,
            UserName = user,
            GroupName = user,
            Mode = type == TarEntryType.Directory ? (UnixFileMode)0b111_000_000 : (UnixFileMode)0b110_100_100,
        };
        if (content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return entry;
    }

    private static byte[] Tar(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries) writer.WriteEntry(entry);
        }
        return stream.ToArray();
    }



    /// <summary>Writes the layout buildx would: base (gzip, 2020), part0 and part1 (tar, at the epoch). Returns the linked chunk's input tar.</summary>
    private static byte[] WriteLayout(string layout, string part1History = "COPY layers/1/part1/ ./ # buildkit")
    {
        var blobs = new LayoutWriter(layout);
        var baseTar = Tar(Entry(TarEntryType.Directory, "home/", 0, "root"), Entry(TarEntryType.Directory, "home/app/", 1000, "app"),
            Entry(TarEntryType.RegularFile, "home/app/.profile", 1000, "app", "# profile\n"));
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(baseTar);
        // The plain chunk: COPY on the existing /home/app, so its diff holds the folder with the base's metadata.
        var part0 = Tar(Entry(TarEntryType.Directory, "home/app/", 1000, "app"), Entry(TarEntryType.RegularFile, "home/app/a.py", 1000, "app", "a = 1\n"));
        // The linked chunk, as BuildKit builds it on an empty filesystem without --chown.
        var part1 = Tar(Entry(TarEntryType.Directory, "home/", 0, "root"), Entry(TarEntryType.Directory, "home/app/", 0, "root"),
            Entry(TarEntryType.RegularFile, "home/app/b.py", 0, "root", "b = 2\n"), Entry(TarEntryType.Directory, "home/app/pkg/", 0, "root"),
            Entry(TarEntryType.RegularFile, "home/app/pkg/c.py", 0, "root", "c = 3\n"));
        var epoch = DateTimeOffset.FromUnixTimeSeconds(Epoch).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(OciDigest.Of(baseTar), OciDigest.Of(part0), OciDigest.Of(part1)) },
            ["history"] = new JsonArray(
                new JsonObject { ["created"] = "2020-01-01T00:00:00Z", ["created_by"] = "base" },
                new JsonObject { ["created"] = epoch, ["created_by"] = "WORKDIR /home/app", ["empty_layer"] = true },
                new JsonObject { ["created"] = epoch, ["created_by"] = "COPY --chown=app:app layers/1/part0/ ./ # buildkit" },
                new JsonObject { ["created"] = epoch, ["created_by"] = part1History }),
        };
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = blobs.BlobJson(Encoding.UTF8.GetBytes(config.ToJsonString()), "application/vnd.oci.image.config.v1+json"),
            ["layers"] = new JsonArray(
                blobs.BlobJson(gzipped.ToArray(), LayerRetimer.GzipLayerMediaType),
                blobs.BlobJson(part0, "application/vnd.oci.image.layer.v1.tar"),
                blobs.BlobJson(part1, "application/vnd.oci.image.layer.v1.tar")),
        };
        var entry = blobs.BlobJson(Encoding.UTF8.GetBytes(manifest.ToJsonString()), ManifestType);
        entry["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "link-test" };
        File.WriteAllText(Path.Combine(layout, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(entry) }.ToJsonString());
        return part1;
    }

    /// <summary>Each layer's entries as "name uid:gid uname mtime", and checks each layer's diffID against the config.</summary>
    private static List<List<string>> Layers(OciLayout layout)
    {
        var manifest = layout.Manifests.Single();
        var config = JsonNode.Parse(File.ReadAllBytes(layout.BlobPath(manifest.Blobs[0].Digest)))!;
        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        var result = new List<List<string>>();
        foreach (var (layer, index) in manifest.Blobs.Skip(1).Select((l, i) => (l, i)))
        {
            var bytes = File.ReadAllBytes(layout.BlobPath(layer.Digest));
            var tar = new MemoryStream();
            using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)) gzip.CopyTo(tar);
            Assert.AreEqual(diffIds[index], OciDigest.Of(tar.ToArray()), $"diffID of layer {index}");
            tar.Position = 0;
            using var reader = new TarReader(tar);
            var entries = new List<string>();
            while (reader.GetNextEntry() is PosixTarEntry entry)
            {
                entries.Add($"{entry.Name} {entry.Uid}:{entry.Gid} {entry.UserName} {entry.ModificationTime.ToUnixTimeSeconds()}");
            }
            result.Add(entries);
        }
        return result;
    }

    [TestMethod]
    public void TheLinkedChunkLosesTheFolderChainTakesThePlainChunksOwnerAndIsCached()
    {
        using var folder = new TempDirectory();
        var layoutFolder = Path.Combine(folder.Path, "layout");
        WriteLayout(layoutFolder);
        var log = new List<string>();

        var first = LayerRetimer.Retime(layoutFolder, Epoch, "link-test", log.Add, [Part1]);

        var layers = Layers(first);
        CollectionAssert.AreEqual(new[] { $"home/app/ 1000:1000 app {Epoch}", $"home/app/a.py 1000:1000 app {Epoch}" }, layers[1], "the plain chunk keeps its entries");
        CollectionAssert.AreEqual(new[] { $"home/app/b.py 1000:1000 app {Epoch}", $"home/app/pkg/ 1000:1000 app {Epoch}", $"home/app/pkg/c.py 1000:1000 app {Epoch}" },
            layers[2], string.Join("\n", layers[2]));
        StringAssert.Contains(log.Single(), "re-timed 2 new layer(s)");
        StringAssert.Contains(log.Single(), "1 of them COPY --link");

        // The next build: buildx writes the same input layout again into the folder; both layers come from the cache, same image.
        WriteLayout(layoutFolder);
        log.Clear();
        var second = LayerRetimer.Retime(layoutFolder, Epoch, "link-test", log.Add, [Part1]);

        StringAssert.Contains(log.Single(), "re-timed 0 new layer(s)");
        StringAssert.Contains(log.Single(), "2 re-used");
        Assert.AreEqual(first.Image.Digest, second.Image.Digest);
    }

    [TestMethod]
    public void APlainConversionOfTheSameInputNeverUsesTheLinkedEntry()
    {
        using var folder = new TempDirectory();
        var layoutFolder = Path.Combine(folder.Path, "layout");
        WriteLayout(layoutFolder);
        var linked = LayerRetimer.Retime(layoutFolder, Epoch, "link-test", _ => { }, [Part1]);
        WriteLayout(layoutFolder);
        var log = new List<string>();

        var plain = LayerRetimer.Retime(layoutFolder, Epoch, "link-test", log.Add);

        StringAssert.Contains(log.Single(), "re-timed 1 new layer(s)");
        Assert.AreNotEqual(linked.Image.Digest, plain.Image.Digest);
        CollectionAssert.AreEqual(new[] { $"home/ 0:0 root {Epoch}", $"home/app/ 0:0 root {Epoch}" }, Layers(plain)[2].Take(2).ToArray());
    }

    [TestMethod]
    public void ALinkedChunkWithoutItsPlainChunkOrLayerIsCimg3110()
    {
        using var folder = new TempDirectory();
        var layoutFolder = Path.Combine(folder.Path, "layout");
        WriteLayout(layoutFolder);

        var noPlain = Assert.ThrowsExactly<ImageDefinitionException>(() =>
            LayerRetimer.Retime(layoutFolder, Epoch, "link-test", _ => { }, [Part1 with { PlainSource = "layers/2/part0/" }]));
        var noLayer = Assert.ThrowsExactly<ImageDefinitionException>(() =>
            LayerRetimer.Retime(layoutFolder, Epoch, "link-test", _ => { }, [Part1 with { Source = "layers/1/part2/" }]));
        var noOwner = Assert.ThrowsExactly<ImageDefinitionException>(() =>
            LayerRetimer.Retime(layoutFolder, Epoch, "link-test", _ => { }, [Part1 with { Destination = "/srv/app/" }]));

        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, noPlain.Code);
        StringAssert.Contains(noPlain.Message, "layers/2/part0/");
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, noLayer.Code);
        StringAssert.Contains(noLayer.Message, "layers/1/part2/");
        Assert.AreEqual(DiagnosticCodes.OciLayoutInvalid, noOwner.Code);
        StringAssert.Contains(noOwner.Message, "no entry below '/srv/app/'");
    }

    [TestMethod]
    public void AChunkNameIsMatchedWholeNotAsAPrefix()
    {
        Assert.IsTrue(LinkedChunkRewrites.IsCopyOf("COPY layers/1/part1/ ./ # buildkit", "layers/1/part1/"));
        Assert.IsTrue(LinkedChunkRewrites.IsCopyOf("COPY --chown=app:app layers/1/part1/ ./ # buildkit", "layers/1/part1/"));
        Assert.IsFalse(LinkedChunkRewrites.IsCopyOf("COPY layers/1/part10/ ./ # buildkit", "layers/1/part1/"));
        Assert.IsFalse(LinkedChunkRewrites.IsCopyOf("RUN echo layers/1/part1/ ./", "layers/1/part1/"));
    }
}
