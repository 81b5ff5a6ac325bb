using System.Diagnostics;
using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

/// <summary>
/// Compares the planner's view of a Dockerfile build context with what the real engine copies: a
/// BuildKit build of <c>COPY . /ctx</c> with a tricky .dockerignore, then <c>find /ctx -type f</c> in the image.
/// </summary>
[TestClass]
public sealed class DockerIgnoreEngineTests
{
    private const string Socket = "/tmp/cimg-engine/docker.sock";

    private static readonly string[] Files =
    [
        "a.txt", "b.log", "dir/c.log", "dir/keep.log", "build/x.o", "build/sub/y.o", "build/keep/z.txt",
        "docs/README.md", "docs/guide/intro.md", "docs/guide/img.png", "src/main.py", "src/__pycache__/m.pyc",
        "src/pkg/__pycache__/n.pyc", "src/pkg/mod.py", "sp ace.txt", "weird[1].txt", "weird1.txt", ".hidden",
        ".git/config", "node_modules/m/index.js", "a/b/c/d.txt", "a/d.txt", "x.tmp", "sub/x.tmp", "Y.TMP",
        "caseDir/File.txt", "q1.md", "q22.md", "deep/keep/me.txt", "deep/drop/me.txt",
    ];

    private const string Ignore = """
        # a comment line
        *.log
        !dir/keep.log
        build
        !build/keep
        **/__pycache__
        docs/**
        !docs/guide/*.md
        .git
        node_modules/
        /x.tmp
        a/**/d.txt
        weird\[1\].txt
          casedir
        q?.md
        deep/*
        !deep/keep
        """;

    [TestMethod]
    [TestCategory("Engine")]
    public void ThePlannerSeesExactlyTheFilesTheEngineCopies()
    {
        if (!File.Exists(Socket)) Assert.Inconclusive("no engine at " + Socket);
        using var tree = new TempTree();
        foreach (var file in Files) tree.Write("ctx/" + file, file);
        tree.Write("ctx/.dockerignore", Ignore);
        var dockerfile = tree.Write("ctx/Dockerfile", "FROM 127.0.0.1:5000/local/busybox:static\nCOPY . /ctx\n");
        var tag = "cimg-context-test:" + Guid.NewGuid().ToString("N")[..12];

        var planned = ContextPlanner.Plan(Image.FromDockerfile(dockerfile)).ExternalFiles.Select(f => f.RelativePath).ToArray();
        try
        {
            Docker("build", "--quiet", "-t", tag, tree.Path_("ctx"));
            var listed = Docker("run", "--rm", "--pull=never", tag, "find", "/ctx", "-type", "f")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p["/ctx/".Length..]).Order(StringComparer.Ordinal).ToArray();

            CollectionAssert.AreEqual(listed, planned,
                $"engine: {string.Join(", ", listed)}\nplanner: {string.Join(", ", planned)}");
            // The rules really did something: both kinds of outcome are present.
            CollectionAssert.Contains(planned, "docs/guide/intro.md");
            CollectionAssert.DoesNotContain(planned, "docs/guide/img.png");
        }
        finally
        {
            RunDocker("rmi", "-f", tag);
        }
    }

    private static string Docker(params string[] args)
    {
        var (code, output, error) = RunDocker(args);
        if (code != 0) Assert.Fail($"docker {string.Join(' ', args)} failed ({code}): {error}");
        return output;
    }

    private static (int Code, string Output, string Error) RunDocker(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOCKER_HOST"] = "unix://" + Socket;
        start.Environment["DOCKER_BUILDKIT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("docker " + string.Join(' ', args) + " timed out");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
