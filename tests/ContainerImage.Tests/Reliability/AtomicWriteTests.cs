using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Tasks;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// obj/ files are written atomically: a write that fails half-way (an exception, or a really full
/// disk on a small tmpfs) leaves the old file as it was and no temporary file behind.
/// </summary>
[TestClass]
public sealed class AtomicWriteTests
{
    [TestMethod]
    public void AWriteThatFailsHalfWayLeavesTheOldFileIntact()
    {
        using var folder = new TempDirectory("cimg-faults-atomic");
        var path = folder.Write("publish.json", "old content\n");
        Assert.ThrowsExactly<InvalidOperationException>(() => OutputFiles.WriteAtomically(path, stream =>
        {
            stream.Write("new con"u8);
            stream.Flush();
            throw new InvalidOperationException("the writer dies half-way");
        }));
        Assert.AreEqual("old content\n", File.ReadAllText(path));
        CollectionAssert.AreEquivalent(new[] { path }, Directory.GetFiles(folder.Path), "no temporary file is left");
    }

    [TestMethod]
    public void AWriteReplacesTheFileWholeAndOnlyWhenTheContentChanges()
    {
        using var folder = new TempDirectory("cimg-faults-atomic");
        var path = System.IO.Path.Combine(folder.Path, "sub", "identifier.txt");
        Assert.IsTrue(OutputFiles.WriteIfChanged(path, "abc\n"));
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));
        Assert.IsFalse(OutputFiles.WriteIfChanged(path, "abc\n"), "same content: not written");
        Assert.AreEqual(written.AddHours(-1), File.GetLastWriteTimeUtc(path), "same content: timestamp untouched");
        Assert.IsTrue(OutputFiles.WriteIfChanged(path, "abcd\n"));
        Assert.AreEqual("abcd\n", File.ReadAllText(path));
        Assert.AreEqual(1, Directory.GetFiles(System.IO.Path.GetDirectoryName(path)!).Length, "no temporary file is left");
    }

    [TestMethod]
    public void AFullDiskIsCodedAndLeavesTheOldFileIntact()
    {
        using var disk = SmallTmpfs.Mount("64k");
        var path = System.IO.Path.Combine(disk.Path, "Dockerfile");
        File.WriteAllText(path, "FROM old\n");
        var big = new string('x', 256 * 1024);
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => OutputFiles.WriteIfChanged(path, big));
        Assert.AreEqual(DiagnosticCodes.DiskFull, error.Code);
        StringAssert.Contains(error.Message, path, "the message names the file");
        StringAssert.Contains(error.Message, "disk is full");
        Assert.AreEqual("FROM old\n", File.ReadAllText(path), "the old file is intact");
        CollectionAssert.AreEquivalent(new[] { path }, Directory.GetFiles(disk.Path), "no temporary file is left");
    }

    [TestMethod]
    public void AContextCopyOnAFullDiskIsCodedAndLeavesNoPartialFile()
    {
        using var source = new TempDirectory("cimg-faults-source");
        source.Write("small.txt", "small");
        source.Write("big.bin", new string('b', 256 * 1024));
        using var disk = SmallTmpfs.Mount("64k");
        var image = Image.FromBase(Engine.BusyboxImage).WithSourceFolder(source.Path, "/app");
        var plan = ContextPlanner.Plan(image);
        var error = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextWriter.Write(plan, disk.Path));
        Assert.AreEqual(DiagnosticCodes.DiskFull, error.Code);
        var files = Directory.GetFiles(disk.Path, "*", SearchOption.AllDirectories);
        Assert.IsFalse(files.Any(f => f.EndsWith(".tmp", StringComparison.Ordinal)), "no temporary file: " + string.Join(", ", files));
        foreach (var file in files)
        {
            var original = System.IO.Path.Combine(source.Path, System.IO.Path.GetFileName(file));
            CollectionAssert.AreEqual(File.ReadAllBytes(original), File.ReadAllBytes(file), $"{file} is whole or absent, never partial");
        }
        Assert.IsFalse(files.Any(f => f.EndsWith("big.bin", StringComparison.Ordinal)), "the file that did not fit is absent");
    }

    [TestMethod]
    public void AFullDiskWithoutAKnownFileNamesThePathTheRuntimeQuoted()
    {
        StringAssert.Contains(DiskFull.Error(new IOException("No space left on device : '/obj/x/filehashes.cache'", 28)).Message, "'/obj/x/filehashes.cache'");
        StringAssert.Contains(DiskFull.Error(new IOException("No space left on device", 28)).Message, "'an output file'");
    }

    [TestMethod]
    public void OnlyNoSpaceErrorsCountAsAFullDisk()
    {
        Assert.IsTrue(DiskFull.Is(new IOException("No space left on device : '/x'", 28)));
        Assert.IsFalse(DiskFull.Is(new IOException("Permission denied", 13)));
        Assert.IsFalse(DiskFull.Is(new InvalidOperationException("No space left on device")));
    }
}
