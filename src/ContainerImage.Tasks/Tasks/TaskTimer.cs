using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Build.Utilities;
using MessageImportance = Microsoft.Build.Framework.MessageImportance;

namespace ContainerImage.Tasks;

/// <summary>
/// Times the steps of a task and logs each at low importance (visible with -v:diag), with the JIT work done
/// during it: every CLI invocation is a fresh process, so JIT and first-use costs are a large share of a
/// no-op publish, and this is how docs/performance.md attributes them.
/// </summary>
internal sealed class TaskTimer
{
    private readonly TaskLoggingHelper _log;
    private readonly string _task;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _last;
    private long _lastMethods = JitInfo.GetCompiledMethodCount();
    private TimeSpan _lastJit = JitInfo.GetCompilationTime();

    /// <summary>A timer for <paramref name="task"/>, started now.</summary>
    public TaskTimer(TaskLoggingHelper log, string task)
    {
        _log = log;
        _task = task;
    }

    /// <summary>Logs the time since the previous mark (or the start) as <paramref name="step"/>.</summary>
    public void Mark(string step)
    {
        var now = _watch.Elapsed;
        var methods = JitInfo.GetCompiledMethodCount();
        var jit = JitInfo.GetCompilationTime();
        _log.LogMessage(MessageImportance.Low, string.Create(CultureInfo.InvariantCulture,
            $"{_task} timing: {step} {(now - _last).TotalMilliseconds:F1} ms ({methods - _lastMethods} methods JIT-compiled in {(jit - _lastJit).TotalMilliseconds:F1} ms)"));
        _last = now;
        _lastMethods = methods;
        _lastJit = jit;
    }
}
