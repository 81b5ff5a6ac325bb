using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>One method per layer kind.</summary>
internal sealed partial class DockerfileComposer
{
    private const string AptCleanConfig = "/etc/apt/apt.conf.d/docker-clean";
    private const string AptCleanConfigAside = "/tmp/cimg-docker-clean";

    /// <summary>
    /// What apt and dpkg write about the run itself rather than the packages: logs with the time of
    /// every action, and ldconfig's cache of the libraries' inode and change times. Both differ in
    /// every build of the same packages (measured on two engines), so the step deletes them; the
    /// packages' files and dpkg's database stay.
    /// </summary>
    private static readonly string[] AptRunRecords =
    [
        "/var/log/apt/history.log", "/var/log/apt/term.log", "/var/log/dpkg.log", "/var/log/alternatives.log",
        "/var/cache/ldconfig/aux-cache",
    ];

    private void WriteLayer(int index, Layer layer)
    {
        // Ignore rules only shape the build context; they have no instruction.
        if (layer is DockerIgnoreLayer) return;
        _text.Blank();
        _text.Line("# layer " + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + layer.Kind);
        switch (layer)
        {
            case AptPackagesLayer apt: WriteAptInstall(apt.Packages, apt.Secrets); break;
            case PipPackagesLayer pip: WritePipPackages(pip); break;
            case RequirementsLayer requirements: WriteRequirements(index, requirements); break;
            case UvProjectLayer uv: WriteUvProject(index, uv); break;
            case SourceFolderLayer folder: WriteSourceFolder(index, folder); break;
            case SourceFileLayer file: WriteSourceFile(index, file); break;
            case EnvVarsLayer env: WriteEnvVars(env); break;
            case WorkdirLayer workdir: WriteWorkdir(workdir); break;
            case CommandsLayer commands: WriteCommands(commands); break;
            case AppPublishOutputLayer app: WriteAppPublishOutput(index, app); break;
            case EntrypointLayer entrypoint: _text.Line("ENTRYPOINT " + DockerfileQuoting.ExecForm(entrypoint.Arguments)); break;
            case DefaultCommandLayer command: _text.Line("CMD " + DockerfileQuoting.ExecForm(command.Arguments)); break;
            case UserLayer user: _text.Line("USER " + user.User); break;
            case ExposePortsLayer expose: _text.Line("EXPOSE " + string.Join(' ', expose.Ports)); break;
            case HealthcheckLayer healthcheck: WriteHealthcheck(healthcheck); break;
            case LabelsLayer labels: WriteLabels(labels); break;
            default: throw new ArgumentException($"The Dockerfile writer does not know the layer kind '{layer.Kind}'.", nameof(layer));
        }
    }

    /// <summary>
    /// apt with cache mounts for the package lists and archives. Debian images from the official
    /// build ship <c>docker-clean</c>, an apt hook that deletes downloaded archives (making the
    /// archive cache useless); it is moved aside for this step only and put back, so the image's
    /// own apt behaviour stays as the base made it.
    /// </summary>
    private void WriteAptInstall(IEnumerable<string> packages, IEnumerable<Secret> secrets)
    {
        var mounts = SecretMounts.For(secrets, _options);
        string[] flags =
        [
            DockerfileQuoting.MountFlag("type=cache", "target=/var/cache/apt", "sharing=locked"),
            DockerfileQuoting.MountFlag("type=cache", "target=/var/lib/apt", "sharing=locked"),
            .. mounts.Flags,
        ];
        var install = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
            + DockerfileQuoting.ShellWords(packages);
        var script = $"{mounts.ShellPrefix}mv {AptCleanConfig} {AptCleanConfigAside} 2>/dev/null; {install}; status=$?; "
            + $"mv {AptCleanConfigAside} {AptCleanConfig} 2>/dev/null; rm -f {string.Join(' ', AptRunRecords)}; exit $status";
        Run(flags, script);
    }

    private void WritePipPackages(PipPackagesLayer pip)
    {
        var mounts = SecretMounts.For(pip.Options.Secrets, _options);
        Run([_python.CacheMount, .. mounts.Flags], mounts.ShellPrefix + _python.Install(pip.Options, pip.Packages));
    }

    /// <summary>
    /// The layer's context folder (the file and its includes, same relative layout) is bind-mounted,
    /// so nested <c>-r</c>/<c>-c</c> lines resolve relative to the main file as they do on the build machine.
    /// </summary>
    private void WriteRequirements(int index, RequirementsLayer requirements)
    {
        var context = ContextOf(index, requirements);
        var entry = context.EntryPath ?? throw new ArgumentException($"The context plan gives no entry file for layer {index} ({requirements.Kind}).");
        var target = PythonInstallCommands.BindRoot + context.ContextDirectory;
        var mounts = SecretMounts.For(requirements.Options.Secrets, _options);
        string[] flags = [_python.CacheMount, BindMount(context.ContextDirectory, target, writable: false), .. mounts.Flags];
        Run(flags, mounts.ShellPrefix + _python.Install(requirements.Options, [target + "/" + entry], "--requirement"));
    }

    /// <summary>
    /// uv into the venv of a Debian base: <c>uv sync</c> of the bind-mounted project and lock. Otherwise
    /// (pip mode, or uv with a system Python, where <c>uv sync</c> has no target environment): the lock's
    /// pinned requirements, with <c>--no-deps</c> because the lock already lists every dependency.
    /// </summary>
    private void WriteUvProject(int index, UvProjectLayer uv)
    {
        var context = ContextOf(index, uv);
        var mounts = SecretMounts.For(uv.Options.Secrets, _options);
        if (_python.UsesUv && _python.InVenv)
        {
            var target = PythonInstallCommands.BindRoot + context.ContextDirectory;
            // Writable (changes are discarded) because uv may write beside the project it syncs.
            string[] flags = [_python.CacheMount, BindMount(context.ContextDirectory, target, writable: true), .. mounts.Flags];
            Run(flags, mounts.ShellPrefix + _python.SyncLockedProject(target, uv.Options));
            return;
        }
        if (context.LockedRequirements.Count == 0)
        {
            _text.Line("# the lock pins no dependencies: nothing to install");
            return;
        }
        Run([_python.CacheMount, .. mounts.Flags], mounts.ShellPrefix + _python.Install(uv.Options, context.LockedRequirements, "--no-deps"));
    }

    private void WriteSourceFolder(int index, SourceFolderLayer folder)
    {
        var context = ContextOf(index, folder);
        if (context.Parts.Count == 0)
        {
            _text.Line("COPY " + _chownFlag + DockerfileQuoting.CopyArguments(context.ContextDirectory + "/", AsFolder(folder.Destination)));
            return;
        }
        // A large folder: one COPY per chunk, all into the same destination, so the image holds the same
        // files while a changed file only invalidates its chunk's layer and the ones after it (each COPY
        // sits on the one before). With LinkChunks, the chunks after the first are COPY --link, which a
        // change before them no longer re-creates; their layers need the SDK's rewrite (LinkedChunk), so
        // they are written only into the Dockerfile of a build that does it (docs/performance.md).
        var destination = _options.LinkChunks ? WorkingDirectory.Resolve(_workdir, folder.Destination) : null;
        for (var k = 0; k < context.Parts.Count; k++)
        {
            var part = context.Parts[k];
            if (k == 0 || destination is null)
            {
                _text.Line("COPY " + _chownFlag + DockerfileQuoting.CopyArguments(part + "/", AsFolder(folder.Destination)));
                continue;
            }
            _text.Line("COPY --link " + DockerfileQuoting.CopyArguments(part + "/", AsFolder(folder.Destination)));
            _linkedChunks.Add(new Build.LinkedChunk(part + "/", destination.TrimEnd('/') + "/", context.Parts[0] + "/"));
        }
    }

    private void WriteWorkdir(WorkdirLayer workdir)
    {
        _text.Line("WORKDIR " + DockerfileQuoting.DoubleQuoted(workdir.Path));
        _workdir = WorkingDirectory.Resolve(_workdir, workdir.Path);
    }

    private void WriteSourceFile(int index, SourceFileLayer file)
    {
        var context = ContextOf(index, file);
        var intoFolder = file.Destination == "." || file.Destination.EndsWith('/');
        string[] arguments;
        if (intoFolder)
        {
            // The layer folder holds just this file under its own name: copying the folder keeps the
            // name without writing it (it may hold wildcard characters COPY would expand).
            arguments = [context.ContextDirectory + "/", AsFolder(file.Destination)];
        }
        else
        {
            var entry = context.EntryPath ?? throw new ArgumentException($"The context plan gives no entry file for layer {index} ({file.Kind}).");
            if (entry.IndexOfAny(['*', '?', '[']) >= 0)
                throw new ArgumentException($"The context path '{entry}' of layer {index} holds a wildcard character, which COPY would expand.");
            arguments = [entry, file.Destination];
        }
        _text.Line("COPY " + _chownFlag + DockerfileQuoting.CopyArguments(arguments));
    }

    private void WriteEnvVars(EnvVarsLayer env)
    {
        foreach (var variable in env.Variables) _text.Line("ENV " + variable.Name + "=" + DockerfileQuoting.DoubleQuoted(variable.Value));
    }

    private void WriteCommands(CommandsLayer commands)
    {
        var mounts = SecretMounts.For(commands.Secrets, _options);
        foreach (var command in commands.Commands) Run(mounts.Flags, mounts.ShellPrefix + command);
    }

    private LayerContext ContextOf(int index, Layer layer)
        => _plan.ForLayer(index) ?? throw new ArgumentException($"The context plan has no files for layer {index} ({layer.Kind}).");

    private static string BindMount(string source, string target, bool writable)
        => writable
            ? DockerfileQuoting.MountFlag("type=bind", "source=" + source, "target=" + target, "rw")
            : DockerfileQuoting.MountFlag("type=bind", "source=" + source, "target=" + target);

    // "." is the working directory; a trailing '/' makes COPY treat the destination as a folder.
    private static string AsFolder(string destination) => destination == "." ? "./" : destination.TrimEnd('/') + "/";
}
