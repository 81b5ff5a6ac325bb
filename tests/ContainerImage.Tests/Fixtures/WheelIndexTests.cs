using System.Diagnostics;

namespace ContainerImage.Tests.Fixtures;

[TestClass]
public sealed class WheelIndexTests
{
    [TestMethod]
    public void PipOnThisMachineInstallsFromTheIndex()
    {
        using var index = WheelIndex.Start(("cimg-greeting", "1.2.0", "hello from a wheel", ["cimg-dep==0.1"]), ("cimg-dep", "0.1", "dep", []));
        var target = Directory.CreateTempSubdirectory("cimg-pip-").FullName;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "pip", "install", "--disable-pip-version-check", "--no-cache-dir", "--index-url", index.IndexUrl, "--target", target, "cimg-greeting" })
            start.ArgumentList.Add(a);
        using var pip = Process.Start(start)!;
        var output = pip.StandardOutput.ReadToEnd() + pip.StandardError.ReadToEnd();
        pip.WaitForExit();
        Assert.AreEqual(0, pip.ExitCode, output);
        StringAssert.Contains(File.ReadAllText(Path.Combine(target, "cimg_greeting", "__init__.py")), "hello from a wheel");
        Assert.IsTrue(File.Exists(Path.Combine(target, "cimg_dep", "__init__.py")), "the dependency came from the index too");
        Assert.IsTrue(index.Requests >= 4);
        Directory.Delete(target, true);
    }
}
