namespace ContainerImage.Tests.EndToEnd;

/// <summary>Base of end-to-end tests: copies assets, asserts on child builds, keeps failed copies for inspection.</summary>
public abstract class EndToEndTest
{
    private readonly List<TestProject> _projects = [];

    /// <summary>Set by MSTest.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>A fresh copy of testassets/<paramref name="asset"/>.</summary>
    internal TestProject Copy(string asset)
    {
        var project = TestProject.Copy(asset);
        _projects.Add(project);
        return project;
    }

    /// <summary>Removes the copies of a passed test; a failed test's copies (with binlogs) stay.</summary>
    [TestCleanup]
    public void RemoveCopies()
    {
        if (TestContext.CurrentTestOutcome != UnitTestOutcome.Passed)
        {
            foreach (var project in _projects) TestContext.WriteLine("Kept for inspection (binlogs inside): " + project.Directory);
            return;
        }
        foreach (var project in _projects) project.Delete();
    }

    /// <summary>Asserts the run succeeded, showing its output and where its binlog is otherwise.</summary>
    internal static ProcessResult Succeeded(TestProject project, ProcessResult result)
    {
        Assert.AreEqual(0, result.ExitCode, $"the build failed; binlogs in {project.Directory}\n{result.Output}");
        return result;
    }

    /// <summary>Asserts the run failed.</summary>
    internal static ProcessResult Failed(TestProject project, ProcessResult result)
    {
        Assert.AreNotEqual(0, result.ExitCode, $"the build should have failed; binlogs in {project.Directory}\n{result.Output}");
        return result;
    }
}
