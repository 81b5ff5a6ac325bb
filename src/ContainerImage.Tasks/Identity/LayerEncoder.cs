using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Identity;

/// <summary>
/// The canonical <c>parameters</c> object of each layer kind (one encoding per kind, fixed member order),
/// and its short human description. Secrets appear as id and mount only, never their source.
/// </summary>
internal static class LayerEncoder
{
    /// <summary>The layer's canonical parameters JSON.</summary>
    public static string Parameters(Layer layer, LayerContext? context)
    {
        var json = new CanonicalJsonWriter().StartObject();
        switch (layer)
        {
            case AptPackagesLayer apt:
                json.Strings("packages", apt.Packages);
                WriteSecrets(json, apt.Secrets);
                break;
            case PipPackagesLayer pip:
                json.Strings("packages", pip.Packages);
                WriteOptions(json, pip.Options);
                break;
            case RequirementsLayer requirements:
                json.String("entry", context?.EntryPath);
                WriteOptions(json, requirements.Options);
                break;
            case UvProjectLayer uv:
                WriteOptions(json, uv.Options);
                json.Strings("lockedRequirements", context?.LockedRequirements ?? ValueArray<string>.Empty);
                break;
            case SourceFolderLayer folder:
                json.String("destination", folder.Destination);
                break;
            case SourceFileLayer file:
                json.String("destination", file.Destination);
                break;
            case DockerIgnoreLayer:
                // Its effect is in the files of the source layers; its text (comments, order of
                // equivalent rules) and its absolute path are not part of the image.
                break;
            case EnvVarsLayer env:
                json.StartArray("variables");
                foreach (var v in env.Variables) json.StartObject().String("name", v.Name).String("value", v.Value).EndObject();
                json.EndArray();
                break;
            case WorkdirLayer workdir:
                json.String("path", workdir.Path);
                break;
            case CommandsLayer commands:
                json.Strings("commands", commands.Commands);
                WriteSecrets(json, commands.Secrets);
                break;
            case AppPublishOutputLayer app:
                json.String("destination", app.Destination);
                break;
            case EntrypointLayer entrypoint:
                json.Strings("arguments", entrypoint.Arguments);
                break;
            case DefaultCommandLayer command:
                json.Strings("arguments", command.Arguments);
                break;
            case UserLayer user:
                json.String("user", user.User);
                break;
            case ExposePortsLayer expose:
                json.Strings("ports", expose.Ports);
                break;
            case HealthcheckLayer healthcheck:
                WriteHealthcheck(json, healthcheck);
                break;
            case LabelsLayer labels:
                json.StartArray("labels");
                foreach (var l in labels.Labels) json.StartObject().String("key", l.Key).String("value", l.Value).EndObject();
                json.EndArray();
                break;
            default:
                throw new ArgumentException($"Unknown layer kind '{layer.Kind}'.", nameof(layer));
        }
        return json.EndObject().ToString();
    }

    /// <summary>A short description such as <c>SourceFolder app -&gt; /srv/app</c> (file names only, no absolute paths).</summary>
    public static string Describe(Layer layer) => layer switch
    {
        AptPackagesLayer apt => "AptPackages " + Shorten(string.Join(", ", apt.Packages)),
        PipPackagesLayer pip => "PipPackages " + Shorten(string.Join(", ", pip.Packages)),
        RequirementsLayer r => "Requirements " + Path.GetFileName(r.File),
        UvProjectLayer uv => "UvProject " + Path.GetFileName(Path.GetDirectoryName(uv.PyprojectFile)) + "/" + Path.GetFileName(uv.PyprojectFile),
        SourceFolderLayer f => "SourceFolder " + Path.GetFileName(Path.TrimEndingDirectorySeparator(f.Source)) + " -> " + f.Destination,
        SourceFileLayer f => "SourceFile " + Path.GetFileName(f.Source) + " -> " + f.Destination,
        DockerIgnoreLayer d => "DockerIgnore " + Path.GetFileName(Path.GetDirectoryName(d.File)) + "/" + Path.GetFileName(d.File),
        EnvVarsLayer env => "EnvVars " + Shorten(string.Join(", ", env.Variables.Select(v => v.Name))),
        WorkdirLayer w => "Workdir " + w.Path,
        CommandsLayer c => "Commands " + Shorten(string.Join("; ", c.Commands)),
        AppPublishOutputLayer a => "AppPublishOutput " + Path.GetFileName(Path.TrimEndingDirectorySeparator(a.Source)) + " -> " + a.Destination,
        EntrypointLayer e => "Entrypoint " + Shorten(string.Join(' ', e.Arguments)),
        DefaultCommandLayer c => "Command " + Shorten(string.Join(' ', c.Arguments)),
        UserLayer u => "User " + u.User,
        ExposePortsLayer p => "ExposePorts " + string.Join(' ', p.Ports),
        HealthcheckLayer h => h.Command is { } command ? "Healthcheck " + Shorten(string.Join(' ', command)) : "Healthcheck NONE",
        LabelsLayer l => "Labels " + Shorten(string.Join(", ", l.Labels.Select(x => x.Key))),
        _ => layer.Kind,
    };

    // Durations in whole milliseconds (the model refuses anything finer); null keeps the engine's default.
    private static void WriteHealthcheck(CanonicalJsonWriter json, HealthcheckLayer healthcheck)
    {
        if (healthcheck.Command is { } command) json.Strings("command", command);
        else json.String("command", null);
        WriteMilliseconds(json, "intervalMs", healthcheck.Interval);
        WriteMilliseconds(json, "timeoutMs", healthcheck.Timeout);
        WriteMilliseconds(json, "startPeriodMs", healthcheck.StartPeriod);
        if (healthcheck.Retries is { } retries) json.Number("retries", retries);
        else json.String("retries", null);
    }

    private static void WriteMilliseconds(CanonicalJsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } v) json.Number(name, (long)v.TotalMilliseconds);
        else json.String(name, null);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static void WriteOptions(CanonicalJsonWriter json, PipOptions options)
    {
        json.StartObject("options")
            .String("indexUrl", options.IndexUrl)
            .Strings("extraIndexUrls", options.ExtraIndexUrls)
            .Bool("pre", options.Pre)
            .Strings("extraArgs", options.ExtraArgs);
        WriteSecrets(json, options.Secrets);
        json.EndObject();
    }

    private static void WriteSecrets(CanonicalJsonWriter json, IEnumerable<Secret> secrets)
    {
        json.StartArray("secrets");
        foreach (var s in secrets)
        {
            json.StartObject().String("id", s.Id).String("env", s.EnvironmentVariable).String("mount", s.MountPath).EndObject();
        }
        json.EndArray();
    }
}
