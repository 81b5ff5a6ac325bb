using System.Collections;
using Microsoft.Build.Framework;

namespace ContainerImage.Tests.Tasks;

/// <summary>An <see cref="IBuildEngine"/> that records what a task logs, for in-process task tests.</summary>
internal sealed class RecordingBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

    /// <summary>Errors as MSBuild prints them: <c>file(line,col): error CODE: message</c>.</summary>
    public IEnumerable<string> FormattedErrors => Errors.Select(e => $"{e.File}({e.LineNumber},{e.ColumnNumber}): error {e.Code}: {e.Message}");
}
