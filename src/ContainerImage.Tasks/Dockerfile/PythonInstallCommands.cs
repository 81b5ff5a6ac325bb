using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>
/// The Python installer invocations of one image: uv or pip, into the virtual environment of a
/// Debian base or into the system Python of any other base.
/// </summary>
internal sealed class PythonInstallCommands
{
    /// <summary>The virtual environment a Debian base creates.</summary>
    public const string VenvPath = "/opt/venv";

    /// <summary>The virtual environment's interpreter.</summary>
    public const string VenvPython = VenvPath + "/bin/python";

    /// <summary>Where a layer's bind-mounted context folder appears during its RUN step.</summary>
    public const string BindRoot = "/tmp/cimg/";

    public PythonInstallCommands(Image image)
    {
        UsesUv = image.Installer == PythonInstaller.Uv;
        // A derived image reuses the venv its Debian root created.
        InVenv = image.DebianRoot is not null;
    }

    /// <summary>True in uv mode.</summary>
    public bool UsesUv { get; }

    /// <summary>True when packages go into <see cref="VenvPath"/> (a Debian base) rather than the system Python.</summary>
    public bool InVenv { get; }

    /// <summary>The download cache mount, so rebuilds do not download again; the cache never enters the image.</summary>
    public string CacheMount => DockerfileQuoting.MountFlag("type=cache", "target=" + (UsesUv ? "/root/.cache/uv" : "/root/.cache/pip"));

    /// <summary>The command that creates the virtual environment.</summary>
    public string CreateVenv => UsesUv
        ? "uv venv " + VenvPath + " --python python3"
        : "python3 -m venv " + VenvPath;

    /// <summary>
    /// <c>install</c> with the options, then the writer's own <paramref name="flag"/> (a fixed word,
    /// e.g. <c>--requirement</c>), then <paramref name="arguments"/> (each shell-quoted). Extra arguments
    /// come after the index options, so a user's flag can override an earlier one.
    /// </summary>
    public string Install(PipOptions options, IEnumerable<string> arguments, string? flag = null)
    {
        var command = UsesUv
            ? (InVenv ? "uv pip install --python " + VenvPython : "uv pip install --system")
            : (InVenv ? VenvPython + " -m pip install" : "python3 -m pip install");
        var words = OptionWords(options);
        if (options.Pre) words.Add(UsesUv ? "--prerelease=allow" : "--pre");
        words.AddRange(options.ExtraArgs.Select(DockerfileQuoting.Shell));
        if (flag is not null) words.Add(flag);
        words.AddRange(arguments.Select(DockerfileQuoting.Shell));
        return command + " " + string.Join(' ', words);
    }

    /// <summary>
    /// uv mode on a Debian base: syncs the locked dependencies of the project bind-mounted at
    /// <paramref name="projectFolder"/> into the active virtual environment, without the project
    /// itself and without touching the lock (<c>--frozen</c>). Pre-releases need no flag: the lock decides.
    /// </summary>
    public string SyncLockedProject(string projectFolder, PipOptions options)
    {
        var words = OptionWords(options);
        words.AddRange(options.ExtraArgs.Select(DockerfileQuoting.Shell));
        words.Insert(0, "cd " + DockerfileQuoting.Shell(projectFolder) + " && uv sync --active --inexact --no-install-project --frozen");
        return string.Join(' ', words);
    }

    // Option names are fixed words; only their values come from the user and are quoted.
    private static List<string> OptionWords(PipOptions options)
    {
        var words = new List<string>();
        if (options.IndexUrl is { } index) words.Add("--index-url " + DockerfileQuoting.Shell(index));
        foreach (var extra in options.ExtraIndexUrls) words.Add("--extra-index-url " + DockerfileQuoting.Shell(extra));
        return words;
    }
}
