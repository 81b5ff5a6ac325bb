using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>A build secret reaches its RUN step and nothing else: not the log, the binlog, obj/ or the image.</summary>
[TestClass]
[TestCategory("Engine")]
public sealed class SecretEngineTests : EndToEndTest
{
    [TestMethod]
    public void SecretValuesReachTheRunStepAndAppearInNoArtefact()
    {
        Engine.Require();
        var project = Copy("secret");
        var name = "cimg-e2e/secret-" + Guid.NewGuid().ToString("N")[..10];
        var envSecret = "env-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var fileSecret = "file-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var secretFile = Path.Combine(project.Directory, "..", Path.GetFileName(project.Directory) + "-netrc");
        File.WriteAllText(secretFile, fileSecret);
        var environment = new Dictionary<string, string>(Engine.ChildEnvironment)
        {
            ["CIMG_E2E_SECRET"] = envSecret,
            ["CIMG_E2E_SECRET_FILE"] = secretFile,
        };

        var publish = Succeeded(project, project.DotnetWithEnvironment(environment,
            "publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:diag"));
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        var archive = Path.Combine(Path.GetTempPath(), "cimg-secret-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            Assert.AreEqual(0, Engine.Docker("pull", uri).ExitCode);
            var proof = Engine.Docker("run", "--rm", "--pull=never", uri, "cat", "/proof.txt");
            Assert.AreEqual(0, proof.ExitCode, proof.Output);
            StringAssert.Contains(proof.Output, "secrets-were-there\n", "the RUN step saw both secrets");
            Assert.AreEqual(0, Engine.Docker("save", "-o", archive, uri).ExitCode);
            var history = Engine.Docker("history", "--no-trunc", uri);
            var inspect = Engine.Docker("image", "inspect", uri);

            var places = new Dictionary<string, byte[]>
            {
                ["console log (-v:diag)"] = Encoding.UTF8.GetBytes(publish.Output),
                ["image history"] = Encoding.UTF8.GetBytes(history.Output),
                ["image config"] = Encoding.UTF8.GetBytes(inspect.Output),
                ["saved image (docker save, layers unpacked)"] = TarContent(archive),
            };
            foreach (var binlog in Directory.GetFiles(project.Directory, "*.binlog"))
            {
                places["binlog " + Path.GetFileName(binlog)] = Gunzip(binlog);
            }
            foreach (var file in Directory.GetFiles(Path.Combine(project.Directory, "obj"), "*", SearchOption.AllDirectories))
            {
                places["obj/" + Path.GetRelativePath(Path.Combine(project.Directory, "obj"), file)] = File.ReadAllBytes(file);
            }
            var hits = new List<string>();
            foreach (var (place, content) in places)
            {
                foreach (var secret in new[] { envSecret, fileSecret })
                {
                    foreach (var form in Forms(secret))
                    {
                        if (content.AsSpan().IndexOf(form) >= 0) hits.Add($"{place} holds a form of {secret[..4]}…");
                    }
                }
            }
            Assert.IsTrue(places.Count > 5, "searched: " + string.Join(", ", places.Keys));
            // The search itself must be able to find a value: it finds the secret in its own source file.
            Assert.IsTrue(File.ReadAllBytes(secretFile).AsSpan().IndexOf(Forms(fileSecret).First()) >= 0, "the search finds a value where it is");
            Assert.AreEqual(0, hits.Count, string.Join("\n", hits));
        }
        finally
        {
            File.Delete(archive);
            File.Delete(secretFile);
            Engine.Docker("rmi", "--force", uri);
        }
    }

    /// <summary>The value as UTF-8, UTF-16 and base64 (binlogs and JSON may hold any of these).</summary>
    private static IEnumerable<byte[]> Forms(string secret)
    {
        yield return Encoding.UTF8.GetBytes(secret);
        yield return Encoding.Unicode.GetBytes(secret);
        yield return Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('='));
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Every file of the saved image, with each layer blob decompressed when it is gzip.</summary>
    private static byte[] TarContent(string archive)
    {
        using var output = new MemoryStream();
        using var reader = new System.Formats.Tar.TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null) continue;
            using var data = new MemoryStream();
            entry.DataStream.CopyTo(data);
            var bytes = data.ToArray();
            output.Write(bytes);
            if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                gz.CopyTo(output);
            }
        }
        return output.ToArray();
    }
}
