using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ContainerImage.Tests.Reliability;

namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// A build secret reaches its RUN step and nothing else: not the log at any verbosity, the binlogs, obj/
/// (buildx's metadata file included), the image, buildx's state, temp files or the engine's build history;
/// a secret whose source is missing stops the publish with CIMG4003 before buildx runs.
/// </summary>
[TestClass]
[TestCategory("Engine")]
public sealed class SecretEngineTests : EndToEndTest
{
    // Every console verbosity: the first publish builds, the others are forced to build again so each log holds a build.
    private static readonly string[] Verbosities = ["q", "m", "n", "d", "diag"];

    [TestMethod]
    public void SecretValuesReachTheRunStepAndAppearInNoArtefact()
    {
        Engine.Require();
        var started = DateTime.UtcNow;
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
        var engineLog = EngineSide.LogLength();

        var places = new Dictionary<string, byte[]>();
        foreach (var verbosity in Verbosities)
        {
            string[] force = verbosity == Verbosities[0] ? [] : ["-p:ImageForceBuild=true"];
            var publish = Succeeded(project, project.DotnetWithEnvironment(environment,
                ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:" + verbosity, .. force]));
            places[$"console log (-v:{verbosity})"] = Encoding.UTF8.GetBytes(publish.Output);
        }
        var uri = File.ReadAllText(project.ImageFile(name, "uri.txt")).Trim();
        var metadata = project.ImageFile(name, "buildx-metadata.json");
        Assert.IsTrue(File.Exists(metadata), "buildx wrote the --metadata-file the runner asked for");
        places["buildx --metadata-file " + Path.GetFileName(metadata)] = File.ReadAllBytes(metadata);
        var archive = Path.Combine(Path.GetTempPath(), "cimg-secret-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            Assert.AreEqual(0, Engine.Docker("pull", uri).ExitCode);
            var proof = Engine.Docker("run", "--rm", "--pull=never", uri, "cat", "/proof.txt");
            Assert.AreEqual(0, proof.ExitCode, proof.Output);
            StringAssert.Contains(proof.Output, "secrets-were-there\n", "the RUN step saw both secrets");
            Assert.AreEqual(0, Engine.Docker("save", "-o", archive, uri).ExitCode);
            places["image history"] = Encoding.UTF8.GetBytes(Engine.Docker("history", "--no-trunc", uri).Output);
            places["image config"] = Encoding.UTF8.GetBytes(Engine.Docker("image", "inspect", uri).Output);
            places["saved image (docker save, layers unpacked)"] = TarContent(archive);
            // buildx 0.13 has no 'history' command (it came in a later buildx); when it has one, its records are searched too.
            var history = Engine.Docker("buildx", "history", "ls");
            if (history.ExitCode == 0 && !history.Output.Contains("Usage:", StringComparison.Ordinal)) places["docker buildx history ls"] = Encoding.UTF8.GetBytes(history.Output);
            TestContext.WriteLine("docker buildx history: " + (places.ContainsKey("docker buildx history ls") ? "searched" : "not in this buildx"));

            foreach (var binlog in Directory.GetFiles(project.Directory, "*.binlog"))
            {
                places["binlog " + Path.GetFileName(binlog)] = Gunzip(binlog);
            }
            foreach (var file in Directory.GetFiles(Path.Combine(project.Directory, "obj"), "*", SearchOption.AllDirectories))
            {
                places["obj/" + Path.GetRelativePath(Path.Combine(project.Directory, "obj"), file)] = File.ReadAllBytes(file);
            }
            // What buildx and the runner may leave elsewhere: buildx's own state, temp files, and the engine's
            // BuildKit build history (history.db and the log/trace blobs it keeps) with the engine log.
            foreach (var (place, content) in EngineSide.WrittenSince(started, engineLog, exclude: [secretFile, archive]))
            {
                places[place] = content;
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
            TestContext.WriteLine($"searched {places.Count} places, {places.Values.Sum(c => (long)c.Length)} bytes; hits {hits.Count}");
            foreach (var group in places.Keys.GroupBy(k => k.Split(' ', '/')[0])) TestContext.WriteLine($"  {group.Key}: {group.Count()}");
            Assert.IsTrue(places.Keys.Count(k => k.StartsWith("console log", StringComparison.Ordinal)) == Verbosities.Length, "a log per verbosity");
            Assert.IsTrue(places.Keys.Count(k => k.StartsWith("binlog", StringComparison.Ordinal)) == Verbosities.Length, "a binlog per run");
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

    [TestMethod]
    public void ASecretWhoseSourceIsMissingIsACodedErrorBeforeAnythingIsBuilt()
    {
        Engine.Require();
        var project = Copy("secret");
        var name = "cimg-e2e/secret-missing-" + Guid.NewGuid().ToString("N")[..10];
        var secretFile = Path.Combine(project.Directory, "netrc-that-is-not-there");
        // -v:n shows buildx's own output, so a buildx run would be seen.
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageRegistry=127.0.0.1:5000", "-p:ImageName=" + name, "-v:n"];

        // The environment variable is not set (the test host's own environment never has it).
        var noVariable = Failed(project, project.DotnetWithEnvironment(
            new Dictionary<string, string>(Engine.ChildEnvironment) { ["CIMG_E2E_SECRET_FILE"] = secretFile + "-unused" }, publish)).Output;
        StringAssert.Contains(noVariable, "error CIMG4003: The secret 'api_token' takes its value from the environment variable 'CIMG_E2E_SECRET'");
        // The variable is set, the file is not there.
        var noFile = Failed(project, project.DotnetWithEnvironment(
            new Dictionary<string, string>(Engine.ChildEnvironment) { ["CIMG_E2E_SECRET"] = "set", ["CIMG_E2E_SECRET_FILE"] = secretFile }, publish)).Output;
        StringAssert.Contains(noFile, "error CIMG4003: The secret 'netrc' takes its value from the file");
        foreach (var output in new[] { noVariable, noFile })
        {
            Assert.IsFalse(output.Contains("load build definition", StringComparison.Ordinal), "buildx never ran:\n" + output);
            Assert.IsFalse(output.Contains("MSB4018", StringComparison.Ordinal), output);
        }
        Assert.IsFalse(File.Exists(project.ImageFile(name, "buildx-metadata.json")), "buildx never ran");
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
