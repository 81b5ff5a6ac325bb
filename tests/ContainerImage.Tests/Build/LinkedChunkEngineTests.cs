using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContainerImage.Build;
using ContainerImage.Context;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Context;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

/// <summary>
/// Linked chunks on the real engine and registry, as the SDK's default push runs them (layout folder, re-timed by the
/// SDK): the pushed image holds exactly the files of the one-COPY image (paths, types, modes, owners, times, contents;
/// the Debian user's own home folder included), and a change in the first chunk leaves the linked chunks' layers as they were.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class LinkedChunkEngineTests
{
    private static Image Declared(TempTree tree, long chunkBytes)
        => Image.FromDebianBase(PythonVersion.Parse("3.11"), installCoreLibrary: false, platforms: [Platform.LinuxAmd64],
                baseImageTemplate: Engine.RegistryAddress + "/local/python:{python}")
            .WithPythonInstaller(PythonInstaller.Pip)
            .WithDebianBase(d => d with { AptPackages = ValueArray<string>.Empty })
            .WithLayer(Layers.SourceFolder(tree.Path_("app")) with { ChunkBytes = chunkBytes });

    /// <summary>Writes context and Dockerfiles as GenerateImageDefinition does, pushes as PublishImage does; returns the layout folder.</summary>
    private static async Task<(string Layout, BuildRequest Request)> PublishAsync(TempTree tree, string name, long chunkBytes, string tag)
    {
        var request = GeneratedDefinition.Write(Declared(tree, chunkBytes), tree.Folder("obj-" + name), OutputMode.Push, tag);
        var lines = new List<string>();
        var result = await new BuildRunner().RunAsync(request, lines.Add);
        Assert.AreEqual(0, result.ExitCode, string.Join("\n", lines));
        return (request.OciLayoutPath, request);
    }

    [TestMethod]
    public async Task TheLinkedImageHoldsTheOneCopyImagesFilesAndAFirstChunkChangeKeepsTheLinkedLayers()
    {
        await Engine.RequireAsync();
        // The chunked-folder sample: six 1000-byte chunks, a 0700 folder, an executable.
        using var tree = ContainerImage.Tests.Dockerfile.ChunkedFolderTests.Sample();
        var repository = Engine.RegistryAddress + "/" + Engine.UniqueRepository("linked");

        var (wholeLayout, wholeRequest) = await PublishAsync(tree, "whole", 0, repository + ":whole");
        var (splitLayout, splitRequest) = await PublishAsync(tree, "split", 1000, repository + ":split");

        Assert.IsFalse(wholeRequest.UsesLinkedDockerfile);
        Assert.IsTrue(splitRequest.UsesLinkedDockerfile, "the default push (SDK re-timing, gzip) builds the linked Dockerfile");
        var whole = Filesystem(wholeLayout);
        var split = Filesystem(splitLayout);
        Assert.IsTrue(whole.Keys.Count(k => k.StartsWith("home/app/", StringComparison.Ordinal)) >= 9, string.Join('\n', whole.Keys.Where(k => k.StartsWith("home", StringComparison.Ordinal))));
        StringAssert.StartsWith(whole["home/app"], "Directory 755 1000:1000 ", "useradd's home, which a linked layer's own (root-owned) folder chain would replace");
        CollectionAssert.AreEqual(whole.Keys.Order(StringComparer.Ordinal).ToArray(), split.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var (path, entry) in whole) Assert.AreEqual(entry, split[path], path);

        var before = LayerDigests(splitLayout);
        File.WriteAllText(tree.Path_("app/pkg0/m0.py"), new string('A', 500));
        var (changedLayout, _) = await PublishAsync(tree, "split", 1000, repository + ":split");
        var after = LayerDigests(changedLayout);
        var chunks = splitRequest.LinkedChunks.Count + 1;
        Assert.AreEqual(before.Count, after.Count);
        Assert.AreNotEqual(before[^chunks], after[^chunks], "the first chunk holds the changed file");
        CollectionAssert.AreEqual(before.TakeLast(chunks - 1).ToArray(), after.TakeLast(chunks - 1).ToArray(), "the linked chunks are not re-created");
    }

    private static JsonObject Manifest(string layout)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var digest = index["manifests"]![0]!["digest"]!.GetValue<string>();
        return JsonNode.Parse(File.ReadAllText(OciLayout.BlobPath(layout, digest)))!.AsObject();
    }

    private static List<string> LayerDigests(string layout)
        => Manifest(layout)["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();

    // The image's filesystem from its layers applied in order, as path -> "type mode uid:gid mtime sha256".
    private static Dictionary<string, string> Filesystem(string layout)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var digest in LayerDigests(layout))
        {
            using var file = File.OpenRead(OciLayout.BlobPath(layout, digest));
            var magic = new byte[2];
            file.ReadExactly(magic);
            file.Position = 0;
            using Stream tar = magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry() is { } entry)
            {
                var path = entry.Name.TrimStart('.', '/').TrimEnd('/');
                var name = Path.GetFileName(path);
                var parent = Path.GetDirectoryName(path) ?? "";
                if (name == ".wh..wh..opq")
                {
                    foreach (var key in entries.Keys.Where(k => k.StartsWith(parent + "/", StringComparison.Ordinal)).ToList()) entries.Remove(key);
                    continue;
                }
                if (name.StartsWith(".wh.", StringComparison.Ordinal))
                {
                    var removed = Path.Combine(parent, name[4..]);
                    foreach (var key in entries.Keys.Where(k => k == removed || k.StartsWith(removed + "/", StringComparison.Ordinal)).ToList()) entries.Remove(key);
                    continue;
                }
                var hash = entry.DataStream is { } data ? Convert.ToHexString(SHA256.HashData(data)) : "";
                entries[path] = $"{entry.EntryType} {Convert.ToString((int)entry.Mode, 8)} {entry.Uid}:{entry.Gid} {entry.ModificationTime.ToUnixTimeSeconds()} {hash}";
            }
        }
        return entries;
    }
}
