using ContainerImage.Dockerfile;
using ContainerImage.Model;
using ContainerImage.Tests.Dockerfile;

namespace ContainerImage.Tests.Reproducibility;

/// <summary>
/// What the Dockerfile writer does for reproducible builds: the epoch reaches every RUN step (so
/// Python writes hash-based .pyc files and useradd the epoch's date), and apt's per-run records do
/// not stay in the image. The engine tests show the effect; these pin the text.
/// </summary>
[TestClass]
public sealed class SourceDateEpochDockerfileTests
{
    [TestMethod]
    [DataRow("debian")]
    [DataRow("existing")]
    [DataRow("derived")]
    public void TheEpochIsDeclaredOnceRightBeforeTheFirstRun(string kind)
    {
        var image = kind switch
        {
            "debian" => Image.FromDebianBase().WithPipPackages(["a"]),
            "existing" => Image.FromBase("127.0.0.1:5000/local/python:3.11").WithEnvVars([new("A", "1")]).WithPipPackages(["a"]).WithCommands(["true"]),
            _ => Image.FromBase("127.0.0.1:5000/local/python:3.11").Derive("child").WithPipPackages(["a"]),
        };
        var instructions = DockerfileInstruction.Parse(DockerfileWriter.Write(image, DockerfileCases.EmptyPlan));
        var args = instructions.Select((instruction, index) => (instruction, index)).Where(x => x.instruction.Keyword == "ARG").ToArray();
        Assert.AreEqual(1, args.Length, "one declaration per stage");
        Assert.AreEqual("SOURCE_DATE_EPOCH", args[0].instruction.Arguments);
        var firstRun = instructions.ToList().FindIndex(i => i.Keyword == "RUN");
        Assert.AreEqual(firstRun - 1, args[0].index, "right before the first RUN");
    }

    [TestMethod]
    public void AnImageWithoutRunStepsDeclaresNothing()
    {
        var image = Image.FromBase("127.0.0.1:5000/local/busybox:static").WithEnvVars([new("A", "1")]).WithEntrypoint(["/bin/sh"]);
        var text = DockerfileWriter.Write(image, DockerfileCases.EmptyPlan);
        Assert.IsFalse(text.Contains("ARG", StringComparison.Ordinal), text);
    }

    [TestMethod]
    public void NothingOfTheEpochEntersTheImageEnvironment()
    {
        // ENV would persist into the config (and every container); ARG does not.
        var text = DockerfileWriter.Write(Image.FromDebianBase().WithPipPackages(["a"]), DockerfileCases.EmptyPlan);
        Assert.IsFalse(DockerfileInstruction.Parse(text).Any(i => i.Keyword == "ENV" && i.Arguments.Contains("SOURCE_DATE_EPOCH", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void TheAptStepDeletesItsLogsAndLdconfigCacheAndKeepsItsExitStatus()
    {
        var image = Image.FromBase("127.0.0.1:5000/local/debian:bookworm").WithAptPackages(["jq"]);
        var run = DockerfileInstruction.Parse(DockerfileWriter.Write(image, DockerfileCases.EmptyPlan)).Single(i => i.Keyword == "RUN").Arguments;
        foreach (var record in new[] { "/var/log/apt/history.log", "/var/log/apt/term.log", "/var/log/dpkg.log", "/var/log/alternatives.log", "/var/cache/ldconfig/aux-cache" })
        {
            StringAssert.Contains(run, " " + record);
        }
        StringAssert.EndsWith(run, "; exit $status", "the install's exit status, not rm's, decides the step");
        Assert.IsTrue(run.IndexOf("rm -f", StringComparison.Ordinal) > run.IndexOf("apt-get install", StringComparison.Ordinal), "deleted after the install wrote them");
    }
}
