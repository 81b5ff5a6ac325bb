using ContainerImage.Context;
using ContainerImage.Diagnostics;

namespace ContainerImage.Tests.Context;

[TestClass]
public sealed class DockerIgnoreTests
{
    // Single patterns against one path, after Docker's cleaning (moby/patternmatcher's own cases and more).
    [TestMethod]
    [DataRow("**", "file", true)]
    [DataRow("**", "dir/file", true)]
    [DataRow("**/", "file", true)]
    [DataRow("**file", "file", true)]
    [DataRow("**file", "dir/file", true)]
    [DataRow("**file", "dir/barfile", true)]
    [DataRow("**/file", "dir/file", true)]
    [DataRow("**/file", "dir/dir/file", true)]
    [DataRow("**/file", "dir/barfile", false)]
    [DataRow("**/file*", "dir/dir/file.txt", true)]
    [DataRow("**/file*.txt", "dir/dir/file.txt", true)]
    [DataRow("**/**/*.txt", "dir/dir/file.txt", true)]
    [DataRow("**/**/*.txt2", "dir/dir/file.txt", false)]
    [DataRow("**/*.txt", "file.txt", true)]
    [DataRow("**/**/*.txt", "file.txt", true)]
    [DataRow("a**/*.txt", "a/file.txt", true)]
    [DataRow("a**/*.txt", "a/dir/file.txt", true)]
    [DataRow("a**/*.txt", "a/dir/dir/file.txt", true)]
    [DataRow("a/*.txt", "a/dir/file.txt", false)]
    [DataRow("a/*.txt", "a/file.txt", true)]
    [DataRow("a/*.txt**", "a/file.txt", true)]
    [DataRow("a[b-d]e", "ae", false)]
    [DataRow("a[b-d]e", "ace", true)]
    [DataRow("a[b-d]e", "aae", false)]
    [DataRow("a[^b-d]e", "aze", true)]
    [DataRow(".*", ".foo", true)]
    [DataRow(".*", "foo", false)]
    [DataRow("abc.def", "abcdef", false)]
    [DataRow("abc.def", "abc.def", true)]
    [DataRow("abc.def", "abcZdef", false)]
    [DataRow("abc?def", "abcZdef", true)]
    [DataRow("abc?def", "abcdef", false)]
    [DataRow("a?c", "a/c", false)]
    [DataRow("a*c", "a/c", false)]
    [DataRow("a\\*b", "a*b", true)]
    [DataRow("a\\*b", "axb", false)]
    [DataRow("**/foo/bar", "foo/bar", true)]
    [DataRow("**/foo/bar", "dir/foo/bar", true)]
    [DataRow("**/foo/bar", "dir/dir2/foo/bar", true)]
    [DataRow("abc/**", "abc", false)]
    [DataRow("abc/**", "abc/def", true)]
    [DataRow("abc/**", "abc/def/ghi", true)]
    [DataRow("**/.foo", ".foo", true)]
    [DataRow("**/.foo", "bar.foo", false)]
    [DataRow("a(b)c/def", "a(b)c/def", true)]
    [DataRow("a(b)c/def", "a(b)c/xyz", false)]
    [DataRow("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [DataRow("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [DataRow("Build", "build", false)]
    [DataRow("./a/../b", "b", true)]
    [DataRow("a//b/", "a/b", true)]
    public void PatternMatchesLikeDocker(string pattern, string path, bool expected)
    {
        Assert.IsTrue(DockerIgnorePattern.TryCreate(pattern, out var compiled, out var error), error);
        Assert.AreEqual(expected, compiled!.Matches(path), $"'{pattern}' vs '{path}'");
    }

    // Whole files: comments, trimming, '/' roots, exceptions, last match wins, parent folders.
    [TestMethod]
    [DataRow("*.log", "a.log", true)]
    [DataRow("*.log", "dir/a.log", false)]
    [DataRow("# comment\n*.log", "# comment", false)]
    [DataRow("  *.log  \r\n", "b.log", true)]
    [DataRow(" #x", "#x", true)]
    [DataRow("\uFEFF*.tmp", "a.tmp", true)]
    [DataRow("/build", "build/x/y", true)]
    [DataRow("build/", "build/x", true)]
    [DataRow("build\n!build/keep.txt", "build/keep.txt", false)]
    [DataRow("build\n!build/keep.txt", "build/other.txt", true)]
    [DataRow("*\n!src", "src/deep/a.py", false)]
    [DataRow("*\n!src", "README.md", true)]
    [DataRow("docs\n!docs/a.md\ndocs/a.md", "docs/a.md", true)]
    [DataRow("!docs/a.md\ndocs", "docs/a.md", true)]
    [DataRow("**/__pycache__", "pkg/sub/__pycache__/m.pyc", true)]
    [DataRow("**/*.pyc\n!keep/**", "keep/x.pyc", false)]
    [DataRow("/../secret", "secret", true)]
    [DataRow("! important.txt", "important.txt", false)]
    [DataRow("", "anything", false)]
    public void FileRulesExcludeLikeDocker(string text, string path, bool excluded)
    {
        var root = Path.Combine(Path.GetTempPath(), "root");
        var matcher = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(root, text)]);
        Assert.AreEqual(excluded, matcher.IsExcluded(Path.Combine(root, path)));
    }

    [TestMethod]
    [DataRow("!")]
    [DataRow("[")]
    [DataRow("a[]b")]
    [DataRow("a[z-a]")]
    [DataRow("a\\")]
    public void InvalidPatternsAreCodedErrorsNamingTheLine(string pattern)
    {
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => DockerIgnoreFile.Parse("/r", "ok\n" + pattern));
        Assert.AreEqual(DiagnosticCodes.InvalidDockerIgnore, error.Code);
        StringAssert.Contains(error.Message, "line 2");
    }

    [TestMethod]
    public void EachFilesPatternsAreRelativeToItsOwnFolderAndLastMatchWins()
    {
        var root = Path.Combine(Path.GetTempPath(), "proj");
        var sub = Path.Combine(root, "sub");
        var matcher = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(root, "**/*.txt"), DockerIgnoreFile.Parse(sub, "!keep.txt")]);
        Assert.IsTrue(matcher.IsExcluded(Path.Combine(root, "a.txt")));
        Assert.IsTrue(matcher.IsExcluded(Path.Combine(sub, "drop.txt")));
        Assert.IsFalse(matcher.IsExcluded(Path.Combine(sub, "keep.txt")));
        // A path outside a file's folder is untouched by that file.
        Assert.IsFalse(matcher.IsExcluded(Path.Combine(Path.GetTempPath(), "elsewhere", "a.txt")));
    }

    [TestMethod]
    public void FoldersAreSkippedOnlyWhenNoExceptionExists()
    {
        var root = Path.Combine(Path.GetTempPath(), "p");
        var plain = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(root, "build")]);
        var withException = new DockerIgnoreMatcher([DockerIgnoreFile.Parse(root, "build\n!**/*.keep")]);
        Assert.IsTrue(plain.CanSkipDirectory(Path.Combine(root, "build")));
        Assert.IsFalse(withException.CanSkipDirectory(Path.Combine(root, "build")));
        Assert.IsFalse(withException.IsExcluded(Path.Combine(root, "build", "deep", "x.keep")));
    }
}
