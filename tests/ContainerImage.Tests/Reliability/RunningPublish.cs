using System.Diagnostics;
using System.Text;
using ContainerImage.Tests.EndToEnd;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// A <c>dotnet publish</c> started in the background, so a test can act on it half-way: find a process
/// in its own tree (walking /proc from its pid, never by name across the machine), kill it, or send the
/// publish Ctrl+C. Disposing kills the publish's tree if it still runs.
/// </summary>
internal sealed class RunningPublish : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningPublish(Process process) => _process = process;

    /// <summary>The pid of the dotnet process.</summary>
    public int Pid => _process.Id;

    /// <summary>What it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts <c>dotnet publish -t:PublishContainerImage</c> on <paramref name="project"/> with <paramref name="properties"/>.</summary>
    public static RunningPublish Start(TestProject project, IReadOnlyDictionary<string, string> environment, params string[] properties)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = ["publish", "-t:PublishContainerImage", "-p:ImageNetwork=host", .. properties.Select(p => "-p:" + p),
            project.ProjectFile, "-nodeReuse:false", "--disable-build-servers", "-bl:" + Path.Combine(project.Directory, $"background-{Guid.NewGuid():N}.binlog")];
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        DotNet.ConfigureChild(info.Environment, project.Sdk.NuGetPackages, environment);
        var process = new Process { StartInfo = info };
        var running = new RunningPublish(process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>
    /// Waits until a process named <paramref name="command"/> whose arguments include <paramref name="argument"/>
    /// (e.g. docker-buildx running "build", not the "version" probe) runs in the publish's tree; returns its pid.
    /// </summary>
    public int WaitForDescendant(string command, string argument, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) Assert.Fail($"the publish ended before {command} ran:\n{Output}");
            var found = Descendants(Pid).FirstOrDefault(p => CommandOf(p) == command && ArgumentsOf(p).Contains(argument));
            if (found != 0) return found;
            Thread.Sleep(250);
        }
        Assert.Fail($"no {command} ran under the publish within {timeout.TotalSeconds:0} s:\n{Output}");
        return 0;
    }

    /// <summary>Waits for the publish to end; returns its exit code and output.</summary>
    public ProcessResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Assert.Fail($"the publish did not end within {timeout.TotalSeconds:0} s:\n{Output}");
        }
        _process.WaitForExit();
        return new ProcessResult(_process.ExitCode, Output);
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) to the dotnet process.</summary>
    public void Interrupt() => Signal(Pid, "INT");

    /// <summary>Kills <paramref name="pid"/> with SIGKILL (a process found in this publish's tree).</summary>
    public static void Kill(int pid) => Signal(pid, "KILL");

    /// <summary>True while <paramref name="pid"/> runs (a zombie counts as ended).</summary>
    public static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            return File.Exists(stat) && StatFields(File.ReadAllText(stat))[0] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every process below <paramref name="root"/>, from the ppid field of /proc/&lt;pid&gt;/stat.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var parent = int.Parse(StatFields(File.ReadAllText(Path.Combine(folder, "stat")))[1], System.Globalization.CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(pid);
            }
            catch (IOException)
            {
                // It ended while we looked.
            }
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }
        return found;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static string CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string[] ArgumentsOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The fields after "(comm)" of a stat line: state, ppid, ... (comm may hold spaces and parentheses).</summary>
    private static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
