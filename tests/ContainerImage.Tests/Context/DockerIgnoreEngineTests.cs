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
        DockerCli.RequireEngine();
        using var tree = new TempTree();
        foreach (var file in Files) tree.Write("ctx/" + file, file);
        tree.Write("ctx/.dockerignore", Ignore);
        var dockerfile = tree.Write("ctx/Dockerfile", "FROM 127.0.0.1:5000/local/busybox:static\nCOPY . /ctx\n");
        var tag = "cimg-context-test:" + Guid.NewGuid().ToString("N")[..12];

        var planned = ContextPlanner.Plan(Image.FromDockerfile(dockerfile)).ExternalFiles.Select(f => f.RelativePath).ToArray();
        try
        {
            DockerCli.Run("build", "--quiet", "-t", tag, tree.Path_("ctx"));
            var listed = DockerCli.Run("run", "--rm", "--pull=never", tag, "find", "/ctx", "-type", "f")
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
            DockerCli.TryRun("rmi", "-f", tag);
        }
    }
}
