using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Tests.Context;

/// <summary>The written context (hard links under layers/) builds with the real engine and carries exactly the planned files and execute bits.</summary>
[TestClass]
public sealed class ContextEngineTests
{
    [TestMethod]
    [TestCategory("Engine")]
    public void AWrittenContextBuildsWithThePlannedFilesAndExecuteBits()
    {
        DockerCli.RequireEngine();
        using var tree = new TempTree();
        tree.Write("proj/app/main.py", "print(1)");
        tree.Write("proj/app/run.sh", "#!/bin/sh\necho hi\n", executable: true);
        tree.Write("proj/app/cache/x.pyc", "x");
        tree.Write("proj/app/notes.log", "n");
        tree.Write("proj/settings.yaml", "a: 1");
        tree.Write("proj/.dockerignore", "app/cache\n**/*.log\n");
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static")
            .WithDockerIgnore(tree.Path_("proj/.dockerignore"))
            .WithSourceFolder(tree.Path_("proj/app"), "/app")
            .WithSourceFile(tree.Path_("proj/settings.yaml"), "/etc/demo/");
        var plan = ContextPlanner.Plan(image);
        var context = tree.Folder("obj/context");
        ContextWriter.Write(plan, context);
        // The Dockerfile writer is another concern; this one follows the documented layout by hand.
        File.WriteAllText(Path.Combine(context, "Dockerfile"),
            "FROM 127.0.0.1:5000/local/busybox:static\nCOPY layers/1/ /app/\nCOPY " + plan.ForLayer(2)!.EntryPath + " /etc/demo/\n");
        var tag = "cimg-context-test:" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            DockerCli.Run("build", "--quiet", "-t", tag, context);
            var all = DockerCli.Run("run", "--rm", "--pull=never", tag, "find", "/app", "/etc/demo", "-type", "f");
            var executable = DockerCli.Run("run", "--rm", "--pull=never", tag, "find", "/app", "-type", "f", "-perm", "-u+x");

            CollectionAssert.AreEqual(new[] { "/app/main.py", "/app/run.sh", "/etc/demo/settings.yaml" }, Lines(all));
            CollectionAssert.AreEqual(new[] { "/app/run.sh" }, Lines(executable));
        }
        finally
        {
            DockerCli.TryRun("rmi", "-f", tag);
        }
    }

    private static string[] Lines(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToArray();
}
