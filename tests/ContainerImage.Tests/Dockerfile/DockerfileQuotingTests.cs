using System.Diagnostics;
using ContainerImage.Dockerfile;

namespace ContainerImage.Tests.Dockerfile;

[TestClass]
public sealed class DockerfileQuotingTests
{
    [TestMethod]
    [DataRow("plain", "'plain'")]
    [DataRow("it's", "'it'\\''s'")]
    [DataRow("", "''")]
    [DataRow("$HOME \"x\" \\ ;", "'$HOME \"x\" \\ ;'")]
    public void ShellQuotingIsSingleQuotes(string value, string expected) => Assert.AreEqual(expected, DockerfileQuoting.Shell(value));

    [TestMethod]
    [DataRow("it's")]
    [DataRow("a $HOME \"q\" \\ ; `id` $(id) ü\ttab '' '")]
    [DataRow(" leading and trailing ")]
    public void ShellQuotedWordReachesTheShellUnchanged(string value)
    {
        // /bin/sh is the shell RUN steps use; printf prints the single argument the quoting produced.
        var start = new ProcessStartInfo("/bin/sh", ["-c", "printf '%s' " + DockerfileQuoting.Shell(value)]) { RedirectStandardOutput = true };
        using var shell = Process.Start(start)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        Assert.AreEqual(value, output);
    }

    [TestMethod]
    [DataRow("a b", "\"a b\"")]
    [DataRow("$X \"q\" \\", "\"\\$X \\\"q\\\" \\\\\"")]
    [DataRow("it's", "\"it's\"")]
    public void DoubleQuotedEscapesBackslashQuoteAndDollar(string value, string expected) => Assert.AreEqual(expected, DockerfileQuoting.DoubleQuoted(value));

    [TestMethod]
    public void CopyArgumentsEscapeForTheWordProcessorThenJson()
        => Assert.AreEqual("[\"layers/1/\", \"/it\\\\'s ü/\"]", DockerfileQuoting.CopyArguments("layers/1/", "/it's ü/"));

    [TestMethod]
    public void MountFlagQuotesWhenAFieldHasASpace()
    {
        Assert.AreEqual("--mount=type=secret,id=a,target=/x", DockerfileQuoting.MountFlag("type=secret", "id=a", "target=/x"));
        Assert.AreEqual("--mount=\"type=secret,id=a,target=/x y\"", DockerfileQuoting.MountFlag("type=secret", "id=a", "target=/x y"));
        Assert.ThrowsExactly<ArgumentException>(() => DockerfileQuoting.MountFlag("target=/a,b"));
    }

    [TestMethod]
    public void ExecFormIsJson()
    {
        var form = DockerfileQuoting.ShellExecForm("cat <<EOF \"q\" \\ \t");
        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", "cat <<EOF \"q\" \\ \t" }, System.Text.Json.JsonSerializer.Deserialize<string[]>(form));
    }
}
