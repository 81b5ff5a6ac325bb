using ContainerImage.Context;

namespace ContainerImage.Tests.Context;

/// <summary>
/// The walker decides ignore rules per folder (rules out of play below a folder are not tried, a rule that matched a
/// folder is not tried again below it, excluded folders with no exception in play are skipped). These tests compare
/// its result with the straightforward matcher, <see cref="DockerIgnoreMatcher.IsExcluded"/> on every file's absolute
/// path, over one tree built to hit every shortcut's edge: negations below excluded folders, '**' rules, rules naming
/// a folder deep down, names that start other names, and .dockerignore files above, inside and beside the walked folder.
/// </summary>
[TestClass]
public sealed class DockerIgnoreWalkTests
{
    private static readonly string[] TreeFiles =
    [
        ".dockerignore", "a", "a.txt", "ab/x", "a b/x", "abc.log", "README.md",
        "build/out.o", "build/keep/k.txt", "build/keep.txt", "build/sub/keep/deep.txt", "build/sub/important.log",
        "src/main.py", "src/main.pyc", "src/gen/g.py", "src/ge/x.py", "src/a/gen/y.py", "src/b/c/gen/z.py",
        "src/cache/c1", "src/x/cache/c2", "src/x/y/z/cache/c3", "src/x/y/z/cached",
        "node_modules/m/index.js", "lib/node_modules/n/index.js", "lib/node_modules_x/keep.js",
        "deep/x/y/z/file", "deep/x/y/zz/file", "deep/x/yy/z/file",
        "docs/*.txt", "docs/[x].md", "docs/^caret", "docs/q?.md",
        "pkg/mod/a.py", "pkg/mod9/b.py", "pkg/mod/sub/c.py", "pkg.mod/d.py",
        "e/f/g/h/i/j.log", "e/f/important.log", "e/f/g/h/keep/j.log",
    ];

    [TestMethod]
    // Negations below an excluded folder: by path, by '**', by a name deeper than the exception's literal part.
    [DataRow("build\n!build/keep/**")]
    [DataRow("build\n!build/keep.txt")]
    [DataRow("build\n!**/keep")]
    [DataRow("build\n!**/keep/*.txt\n!build/sub/*.log")]
    [DataRow("build/**\n!build/keep")]
    [DataRow("build\n!build\nbuild/sub")]
    [DataRow("*\n!src\nsrc/*.pyc")]
    [DataRow("*\n!pkg/mod/sub")]
    // '**' rules at the start, the middle and the end.
    [DataRow("**/*.log\n!**/important.log")]
    [DataRow("**/node_modules")]
    [DataRow("**/node_modules*\n!lib/node_modules_x")]
    [DataRow("src/**/gen")]
    [DataRow("e/**/h\n!e/**/keep")]
    [DataRow("**")]
    [DataRow("**\n!**/*.py")]
    [DataRow("src/**")]
    [DataRow("src**")]
    [DataRow("**cache")]
    // A rule naming a folder deep down, and its neighbours that must stay.
    [DataRow("deep/x/y/z")]
    [DataRow("deep/x/y/z/file")]
    [DataRow("src/x/y/z/cache")]
    [DataRow("pkg/mod")]
    [DataRow("pkg/mod*\n!pkg/mod/sub/c.py")]
    [DataRow("pkg/mod/**\n!pkg/mod/sub")]
    // Wildcards in the middle, character classes, escapes and a '^' (a literal prefix cut short).
    [DataRow("src/*/gen\nsrc/ge?")]
    [DataRow("[ab]/x\na?c.log")]
    [DataRow("a*\n!a.txt")]
    [DataRow("docs/\\*.txt\ndocs/\\[x].md")]
    [DataRow("docs/^caret\ndocs/q\\?.md")]
    [DataRow("*/*/gen\n*/cache")]
    [DataRow("src/*\n!src/x/y")]
    [DataRow("a\nab\na b")]
    [DataRow(".dockerignore\nREADME.md\n!README.md")]
    public void WalkMatchesThePerFileMatcherForRulesInTheWalkedFolder(string rules)
    {
        using var tree = Build();
        var matcher = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(tree.Root, rules)]);
        AssertSameAsPerFile(tree.Root, matcher);
    }

    [TestMethod]
    // The .dockerignore is in the parent folder; the walked folder is "sub" (rules see "sub/..." paths).
    [DataRow("sub/build\n!sub/build/keep")]
    [DataRow("sub/**/*.log\n!sub/e/f/important.log")]
    [DataRow("sub\n!sub/src")]
    [DataRow("sub\n!sub/src/x/y/z/cache")]
    [DataRow("sub")]
    [DataRow("*/src/*/gen\nsu?/deep/x")]
    [DataRow("other\nsubx")]
    [DataRow("**/cache\n!sub/src/cache")]
    public void WalkMatchesThePerFileMatcherForRulesInAParentFolder(string rules)
    {
        using var parent = new TempTree();
        var walked = Path.Combine(parent.Root, "sub");
        using var tree = Build();
        Directory.Move(tree.Root, walked);
        try
        {
            var matcher = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(parent.Root, rules)]);
            AssertSameAsPerFile(walked, matcher);
        }
        finally
        {
            Directory.Move(walked, tree.Root);
        }
    }

    [TestMethod]
    // Several files: one in the walked folder, one in a subfolder of it (rules relative to "src"), one beside it
    // (a sibling: no effect), concatenated in that order, last match wins across them.
    [DataRow("*.log", "gen\n!a/gen", "src")]
    [DataRow("src", "!x/**", "**")]
    [DataRow("build\n!build/keep", "**/cache\n!x/y", "*")]
    [DataRow("!src/main.py", "*.py", "")]
    [DataRow("**", "!main.py\n!x/y/z", "!**")]
    public void WalkMatchesThePerFileMatcherForSeveralIgnoreFiles(string atRoot, string inSrc, string beside)
    {
        using var tree = Build();
        var sibling = tree.Root + "-sibling";
        var matcher = new DockerIgnoreMatcher(
        [
            DockerIgnoreFile.Parse(tree.Root, atRoot),
            DockerIgnoreFile.Parse(tree.Path_("src"), inSrc),
            DockerIgnoreFile.Parse(sibling, beside),
        ]);
        AssertSameAsPerFile(tree.Root, matcher);
    }

    [TestMethod]
    public void AnExcludedFolderWithNoExceptionInPlayIsNotEntered()
    {
        // An unreadable-by-construction folder: a link loop below "build". With an exception elsewhere ("!src/x"),
        // the per-file matcher's walk would have to enter "build" (any exception kept it going) and fail; the
        // exception cannot match below "build", so the folder is skipped, as BuildKit skips it.
        using var tree = Build();
        if (OperatingSystem.IsWindows()) return;
        tree.Link("build/loop", ".");
        var matcher = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(tree.Root, "build\n!src/x")]);
        var walked = FolderWalker.Walk(tree.Root, matcher, 0).Select(f => f.RelativePath).ToArray();
        CollectionAssert.DoesNotContain(walked, "build/out.o");
        CollectionAssert.Contains(walked, "src/x/cache/c2");
    }

    [TestMethod]
    public void AnExcludedFolderWithAnExceptionInPlayIsEntered()
    {
        using var tree = Build();
        var matcher = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(tree.Root, "build\n!build/sub/keep")]);
        var walked = FolderWalker.Walk(tree.Root, matcher, 0).Select(f => f.RelativePath).Where(p => p.StartsWith("build/", StringComparison.Ordinal)).ToArray();
        CollectionAssert.AreEqual(new[] { "build/sub/keep/deep.txt" }, walked);
    }

    [TestMethod]
    [DataRow("pkg/mod", "pkg/mod/", false)] // the folder itself, not below it
    [DataRow("pkg/mod", "pkg/", true)]
    [DataRow("pkg/mod", "pkg/mod9/", false)]
    [DataRow("pkg/mod", "pkg.mod/", false)]
    [DataRow("pkg/mod*", "pkg/mod9/", true)]
    [DataRow("pkg/mod*", "pkg/modx/y/", true)]
    [DataRow("pkg/mod*", "pkx/", false)]
    [DataRow("**/cache", "anything/", true)]
    [DataRow("src/*/gen", "src/a/", true)]
    [DataRow("src/*/gen", "srcx/", false)]
    [DataRow("a\\*b", "a*b/", true)] // conservative: the prefix stops at the escape
    [DataRow("a\\*b", "a/", true)]
    public void ALiteralPrefixTellsWhichFoldersARuleCanReach(string pattern, string folderWithSlash, bool reachable)
    {
        // What the walker relies on: every path the pattern matches starts with its literal prefix, so a folder
        // "reachable" is false only when nothing strictly below it can match (true may be conservative).
        Assert.IsTrue(DockerIgnorePattern.TryCreate(pattern, out var compiled, out _));
        var prefix = compiled!.LiteralPrefix;
        var canReach = compiled.IsExact
            ? compiled.Text.StartsWith(folderWithSlash, StringComparison.Ordinal)
            : prefix.StartsWith(folderWithSlash, StringComparison.Ordinal) || folderWithSlash.StartsWith(prefix, StringComparison.Ordinal);
        Assert.AreEqual(reachable, canReach, $"prefix '{prefix}'");
        // And the prefix is true to the matcher: the pattern's own text (wildcards as themselves) starts with it.
        Assert.IsTrue(compiled.Text.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static TempTree Build()
    {
        var tree = new TempTree();
        foreach (var file in TreeFiles) tree.Write(file, file);
        return tree;
    }

    // The reference: every file below 'walked' (no links in these trees), kept when the per-file matcher keeps it.
    private static void AssertSameAsPerFile(string walked, DockerIgnoreMatcher matcher)
    {
        var expected = Directory.EnumerateFiles(walked, "*", SearchOption.AllDirectories)
            .Where(path => !matcher.IsExcluded(path))
            .Select(path => Path.GetRelativePath(walked, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var actual = FolderWalker.Walk(walked, matcher, 0).Select(f => f.RelativePath).ToArray();
        CollectionAssert.AreEqual(expected, actual, "expected: " + string.Join(", ", expected) + "\nactual:   " + string.Join(", ", actual));
    }
}
