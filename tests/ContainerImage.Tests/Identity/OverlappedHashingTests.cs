using System.Net.Sockets;
using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Identity;
using ContainerImage.Model;
using ContainerImage.Tests.Context;

namespace ContainerImage.Tests.Identity;

/// <summary>
/// ContextPlanner.Plan(image, hasher) hashes each top-level folder's files while the walk goes on. The identifier
/// must be byte for byte the one of "plan, then hash", and every error the one it reports.
/// </summary>
[TestClass]
public sealed class OverlappedHashingTests
{
    private static string Fixed(Image image, ContextPlan plan) => "FROM fixed";

    [TestMethod]
    public void TheOverlappedIdentifierIsTheSameAsPlanThenHash()
    {
        using var tree = Write();
        var image = Define(tree);

        var sequential = ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(), Fixed);
        var hasher = new FileHasher();
        var overlapped = ImageIdentifier.Compute(image, ContextPlanner.Plan(image, hasher), hasher, Fixed);
        var fromScratch = ImageIdentifier.Compute(image, Fixed);

        Assert.AreEqual(sequential.CanonicalJson, overlapped.CanonicalJson);
        Assert.AreEqual(sequential.Identifier, overlapped.Identifier);
        Assert.AreEqual(sequential.CanonicalJson, fromScratch.CanonicalJson);
        CollectionAssert.AreEqual(sequential.Layers.SelectMany(l => l.Files).ToArray(), overlapped.Layers.SelectMany(l => l.Files).ToArray());
        // Each file read once: the identifier's own pass found every prefetched hash.
        Assert.AreEqual(ContextPlanner.Plan(image).AllFiles.Select(f => f.SourcePath).Distinct().Count(), hasher.FilesRead);
    }

    [TestMethod]
    public void AColdHasherHashesTheFoldersDuringThePlan()
    {
        using var tree = Write();
        var image = Define(tree);
        var hasher = new FileHasher();

        var plan = ContextPlanner.Plan(image, hasher);
        hasher.WaitForPrefetches(drain: true);

        // Both folder layers, top-level folders and top-level files alike, were handed over by the walk: once the
        // queue is drained, every file was read before any identifier asked (normally the pass takes over earlier).
        Assert.AreEqual(plan.AllFiles.Select(f => f.SourcePath).Distinct().Count(), hasher.FilesRead);
    }

    [TestMethod]
    public void AHasherWithACacheDoesNotPrefetch()
    {
        using var tree = Write();
        var image = Define(tree);
        var cache = tree.Path_("obj/hashes.bin");
        var first = new FileHasher(cache);
        ImageIdentifier.Compute(image, ContextPlanner.Plan(image, first), first, Fixed);
        first.Save();
        tree.Write("proj/src/a/changed.txt", "new");

        var warm = new FileHasher(cache);
        ContextPlanner.Plan(image, warm);
        warm.WaitForPrefetches(drain: true);

        // With a cache, most files need no reading at all: nothing is read ahead of the identifier.
        Assert.AreEqual(0, warm.FilesRead);
    }

    [TestMethod]
    public void AFileThatCannotBeReadIsReportedAsWithoutPrefetch()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var tree = Write();
        // A socket is listed like a file, and opening it fails (even for root): the prefetch skips it, the
        // identifier's own pass reports it.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(tree.Path_("proj/src/b/listener.sock")));
        var image = Define(tree);

        var sequential = Assert.ThrowsExactly<ImageDefinitionException>(() => ImageIdentifier.Compute(image, ContextPlanner.Plan(image), new FileHasher(), Fixed));
        var hasher = new FileHasher();
        var overlapped = Assert.ThrowsExactly<ImageDefinitionException>(() => ImageIdentifier.Compute(image, ContextPlanner.Plan(image, hasher), hasher, Fixed));

        Assert.AreEqual(DiagnosticCodes.InputUnreadable, overlapped.Code);
        Assert.AreEqual(sequential.Message, overlapped.Message);
    }

    [TestMethod]
    public void AFailedPlanReportsTheSameErrorAndLeavesNothingRunning()
    {
        if (OperatingSystem.IsWindows()) return;
        using var tree = Write();
        tree.Link("proj/src/c/dangling", "nowhere");
        var image = Define(tree);

        var sequential = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(image));
        var hasher = new FileHasher();
        var overlapped = Assert.ThrowsExactly<ImageDefinitionException>(() => ContextPlanner.Plan(image, hasher));

        Assert.AreEqual(sequential.Code, overlapped.Code);
        Assert.AreEqual(sequential.Message, overlapped.Message);
        // The prefetch was cancelled and waited for before the error left Plan: no file is read after it.
        var read = hasher.FilesRead;
        Thread.Sleep(200);
        Assert.AreEqual(read, hasher.FilesRead);
    }

    // Several top-level folders (walked in parallel, handed over one by one), top-level files, nested folders,
    // an executable, an ignore rule, and a second folder layer.
    private static TempTree Write()
    {
        var tree = new TempTree();
        for (var folder = 0; folder < 6; folder++)
        {
            var name = ((char)('a' + folder)).ToString();
            for (var file = 0; file < 12; file++) tree.Write($"proj/src/{name}/sub{file % 3}/f{file}.txt", new string((char)('A' + file), 1000 * (file + 1)));
        }
        tree.Write("proj/src/top.txt", "top");
        tree.Write("proj/src/run.sh", "#!/bin/sh\n", executable: true);
        tree.Write("proj/src/a/skip.log", "ignored");
        tree.Write("proj/.dockerignore", "**/*.log\n");
        tree.Write("proj/assets/x/logo.svg", "<svg/>");
        tree.Write("proj/assets/y/icon.svg", "<svg></svg>");
        return tree;
    }

    private static Image Define(TempTree tree)
        => Image.FromBase("127.0.0.1:5000/local/busybox:static", name: "ident/overlap")
            .WithDockerIgnore(tree.Path_("proj/.dockerignore"))
            .WithSourceFolder(tree.Path_("proj/src"), "/app")
            .WithSourceFolder(tree.Path_("proj/assets"), "/assets");
}
