using System.Globalization;
using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>Validated layers for app images: publish output and the image configuration.</summary>
public static partial class Layers
{
    /// <summary>A validated publish-output layer; <paramref name="destination"/> defaults to <see cref="AppPublishOutputLayer.DefaultDestination"/>.</summary>
    public static AppPublishOutputLayer AppPublishOutput(string source, string? destination = null)
        => new(ValueRules.FullHostPath(source, "publish output folder"),
            ValueRules.ValidateImagePath(string.IsNullOrEmpty(destination) ? AppPublishOutputLayer.DefaultDestination : destination, "the app destination"));

    /// <summary>A validated entrypoint (exec form); an empty list clears an inherited one.</summary>
    public static EntrypointLayer Entrypoint(IEnumerable<string> arguments) => new(ExecArguments(arguments, "Entrypoint"));

    /// <summary>A validated default command (exec form); an empty list clears an inherited one.</summary>
    public static DefaultCommandLayer Command(IEnumerable<string> arguments) => new(ExecArguments(arguments, "Command"));

    /// <summary>A validated runtime user: a name or <c>uid[:gid]</c>.</summary>
    public static UserLayer User(string user) => new(ValueRules.ValidateUser(user));

    /// <summary>
    /// A validated port list: <c>8080</c>, <c>8080/tcp</c> or <c>53/udp</c>. Ports are normalized to
    /// <c>number/protocol</c> (what the engine records), deduplicated and sorted, since they form a set.
    /// </summary>
    public static ExposePortsLayer ExposePorts(IEnumerable<string> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var list = ports.Select(NormalizePort).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.EmptyLayer, "ExposePorts");
        return new ExposePortsLayer(list.OrderBy(PortNumber).ThenBy(p => p, StringComparer.Ordinal).ToValueArray());
    }

    /// <summary>A validated health check running <paramref name="command"/> (exec form).</summary>
    public static HealthcheckLayer Healthcheck(
        IEnumerable<string> command, TimeSpan? interval = null, TimeSpan? timeout = null, TimeSpan? startPeriod = null, int? retries = null)
    {
        var arguments = ExecArguments(command ?? throw new ArgumentNullException(nameof(command)), "Healthcheck");
        if (arguments.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheck, "the command is empty; give a command, or use HealthcheckNone to turn checks off");
        CheckDuration(interval, "interval");
        CheckDuration(timeout, "timeout");
        CheckDuration(startPeriod, "start period");
        if (retries is < 1 or > 1000)
            throw new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheck, $"retries is {retries}; use a count from 1 to 1000");
        return new HealthcheckLayer { Command = arguments, Interval = interval, Timeout = timeout, StartPeriod = startPeriod, Retries = retries };
    }

    /// <summary><c>HEALTHCHECK NONE</c>: turns off a health check inherited from the base.</summary>
    public static HealthcheckLayer HealthcheckNone() => new();

    /// <summary>Validated labels, sorted by key; a key given twice is an error (which one would win is not obvious).</summary>
    public static LabelsLayer Labels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var list = labels.Select(kv => new ImageLabel(kv.Key, kv.Value ?? "")).ToList();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.EmptyLayer, "Labels");
        foreach (var label in list) ValidateLabel(label);
        var duplicate = list.GroupBy(l => l.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ImageDefinitionException(DiagnosticCodes.InvalidLabel, duplicate.Key, "the key is given more than once");
        return new LabelsLayer(list.OrderBy(l => l.Key, StringComparer.Ordinal).ToValueArray());
    }

    /// <summary>Checks one label: a key of letters, digits, '.', '-', '_' and '/' starting with a letter or digit; a one-line value.</summary>
    public static void ValidateLabel(ImageLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Key is null || !LabelKey().IsMatch(label.Key))
            throw new ImageDefinitionException(DiagnosticCodes.InvalidLabel, label.Key ?? "",
                "use a key of letters, digits, '.', '-', '_' and '/' that starts with a letter or digit, such as 'org.opencontainers.image.source'");
        if (ValueRules.HasControlCharacter(label.Value))
            throw new ImageDefinitionException(DiagnosticCodes.InvalidLabel, label.Key, "its value holds a newline or control character");
    }

    private static ValueArray<string> ExecArguments(IEnumerable<string> arguments, string what)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var list = arguments.ToValueArray();
        foreach (var argument in list)
        {
            // Exec form is JSON, which could hold anything; refused here is what would make the
            // configured command differ from the one declared (a newline splits it in a log, NUL ends it in exec).
            if (argument is null) throw new ImageDefinitionException(DiagnosticCodes.InvalidExecArgument, what, "", "it is null");
            if (ValueRules.HasControlCharacter(argument))
                throw new ImageDefinitionException(DiagnosticCodes.InvalidExecArgument, what, argument, "it holds a newline or control character");
        }
        if (list.Count > 0 && string.IsNullOrWhiteSpace(list[0]))
            throw new ImageDefinitionException(DiagnosticCodes.InvalidExecArgument, what, list[0], "the first argument names the program and cannot be empty");
        return list;
    }

    private static void CheckDuration(TimeSpan? duration, string what)
    {
        // The engine counts in whole milliseconds and refuses durations under 1 ms.
        if (duration is { } d && (d < TimeSpan.FromMilliseconds(1) || d.Ticks % TimeSpan.TicksPerMillisecond != 0 || d > TimeSpan.FromDays(365)))
            throw new ImageDefinitionException(DiagnosticCodes.InvalidHealthcheck,
                $"the {what} is {d}; use whole milliseconds from 1 ms to 365 days");
    }

    private static string NormalizePort(string port)
    {
        var match = port is null ? null : Port().Match(port);
        if (match is null || !match.Success
            || !int.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 65535)
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidPort, port ?? "");
        }
        var protocol = match.Groups["protocol"].Success ? match.Groups["protocol"].Value.ToLowerInvariant() : "tcp";
        return number.ToString(CultureInfo.InvariantCulture) + "/" + protocol;
    }

    private static int PortNumber(string normalized) => int.Parse(normalized[..normalized.IndexOf('/')], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<number>[0-9]{1,5})(?:/(?<protocol>tcp|udp|TCP|UDP))?\z")]
    private static partial Regex Port();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,254}\z")]
    private static partial Regex LabelKey();
}
