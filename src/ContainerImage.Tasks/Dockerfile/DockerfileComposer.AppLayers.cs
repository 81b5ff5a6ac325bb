using System.Globalization;
using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>The writer methods of the app-image layer kinds (publish output and image configuration).</summary>
internal sealed partial class DockerfileComposer
{
    private void WriteAppPublishOutput(int index, AppPublishOutputLayer app)
    {
        var context = ContextOf(index, app);
        _text.Line("COPY " + _chownFlag + DockerfileQuoting.CopyArguments(context.ContextDirectory + "/", AsFolder(app.Destination)));
    }

    private void WriteHealthcheck(HealthcheckLayer healthcheck)
    {
        if (healthcheck.Command is not { } command)
        {
            _text.Line("HEALTHCHECK NONE");
            return;
        }
        var words = new List<string> { "HEALTHCHECK" };
        if (healthcheck.Interval is { } interval) words.Add("--interval=" + Duration(interval));
        if (healthcheck.Timeout is { } timeout) words.Add("--timeout=" + Duration(timeout));
        if (healthcheck.StartPeriod is { } startPeriod) words.Add("--start-period=" + Duration(startPeriod));
        if (healthcheck.Retries is { } retries) words.Add("--retries=" + retries.ToString(CultureInfo.InvariantCulture));
        words.Add("CMD " + DockerfileQuoting.ExecForm(command));
        _text.Line(string.Join(' ', words));
    }

    private void WriteLabels(LabelsLayer labels)
        => _text.Line("LABEL " + string.Join(' ', labels.Labels.Select(l => l.Key + "=" + DockerfileQuoting.DoubleQuoted(l.Value))));

    // A Go duration the frontend parses exactly: whole seconds as "30s", anything finer in milliseconds.
    private static string Duration(TimeSpan duration)
    {
        var milliseconds = (long)duration.TotalMilliseconds;
        return milliseconds % 1000 == 0
            ? (milliseconds / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
