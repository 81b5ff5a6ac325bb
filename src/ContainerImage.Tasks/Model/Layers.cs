using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>
/// One customisation of an image, applied in declaration order. Each kind is an immutable record;
/// the Dockerfile writer has one method per kind and the identity encoder one encoding per kind.
/// </summary>
public abstract record Layer
{
    private protected Layer() { }

    /// <summary>The layer kind's name as used in project files (<c>ImageLayer Kind="..."</c>) and messages.</summary>
    public abstract string Kind { get; }
}

/// <summary>Options shared by every layer that runs the Python installer.</summary>
public sealed record PipOptions
{
    /// <summary>No options.</summary>
    public static PipOptions None { get; } = new();

    /// <summary>Replaces the default package index.</summary>
    public string? IndexUrl { get; init; }

    /// <summary>Further package indexes, in order.</summary>
    public ValueArray<string> ExtraIndexUrls { get; init; } = ValueArray<string>.Empty;

    /// <summary>Allow pre-release versions.</summary>
    public bool Pre { get; init; }

    /// <summary>Extra arguments for the installer, each passed as one argument.</summary>
    public ValueArray<string> ExtraArgs { get; init; } = ValueArray<string>.Empty;

    /// <summary>Secrets mounted into the install step (e.g. credentials for a private index).</summary>
    public ValueArray<Secret> Secrets { get; init; } = ValueArray<Secret>.Empty;

    /// <summary>Checks every value; throws the matching <c>CIMG</c> error.</summary>
    public PipOptions Validate()
    {
        if (IndexUrl is not null) ValueRules.ValidateIndexUrl(IndexUrl);
        foreach (var url in ExtraIndexUrls) ValueRules.ValidateIndexUrl(url);
        foreach (var arg in ExtraArgs) ValueRules.ValidateInstallerArgument(arg);
        return this;
    }
}

/// <summary>Installs Debian packages with apt (seed: <c>with_apt_packages</c>).</summary>
public sealed record AptPackagesLayer(ValueArray<string> Packages, ValueArray<Secret> Secrets) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "AptPackages";
}

/// <summary>Installs Python packages (seed: <c>with_pip_packages</c>).</summary>
public sealed record PipPackagesLayer(ValueArray<string> Packages, PipOptions Options) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "PipPackages";
}

/// <summary>
/// Installs a requirements file (seed: <c>with_requirements</c>). The files it includes with
/// <c>-r</c>/<c>-c</c>, transitively, reach the context and the identifier too.
/// </summary>
public sealed record RequirementsLayer(string File, PipOptions Options) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "Requirements";
}

/// <summary>Installs a uv project's locked dependencies (seed: <c>with_uv_project</c>).</summary>
public sealed record UvProjectLayer(string PyprojectFile, string UvLockFile, PipOptions Options) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "UvProject";
}

/// <summary>Copies a folder into the image (seed: <c>with_source_folder</c>).</summary>
/// <param name="Source">The folder on the build machine (absolute).</param>
/// <param name="Destination">The path in the image; <c>.</c> is the working directory.</param>
public sealed record SourceFolderLayer(string Source, string Destination) : Layer
{
    /// <summary>The default <see cref="ChunkBytes"/>: 128 MiB.</summary>
    public const long DefaultChunkBytes = 128L << 20;

    /// <inheritdoc/>
    public override string Kind => "SourceFolder";

    /// <summary>
    /// When the folder's files (after ignore rules) total more than this many bytes, they are copied by
    /// several COPY instructions of about this size each (files in path order, so the chunks are the same
    /// for the same files) instead of one. The image's files are the same; only its layers differ: a
    /// changed file then re-compresses its own chunk and those after it, not the whole folder
    /// (docs/performance.md has the measurements). Zero or less: always one COPY.
    /// </summary>
    public long ChunkBytes { get; init; } = DefaultChunkBytes;
}

/// <summary>Copies one file into the image (seed: <c>with_source_file</c>).</summary>
/// <param name="Source">The file on the build machine (absolute).</param>
/// <param name="Destination">The path in the image; <c>.</c> is the working directory; a trailing '/' means a folder.</param>
public sealed record SourceFileLayer(string Source, string Destination) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "SourceFile";
}

/// <summary>
/// A <c>.dockerignore</c> file whose rules apply to every source layer of the image, for the build
/// context and the identifier alike; patterns are relative to the folder that holds the file.
/// </summary>
public sealed record DockerIgnoreLayer(string File) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "DockerIgnore";
}

/// <summary>One environment variable.</summary>
/// <param name="Name">A POSIX name.</param>
/// <param name="Value">Any single-line value; written so that '$', quotes and spaces stay literal.</param>
public sealed record EnvironmentVariable(string Name, string Value);

/// <summary>Sets environment variables, in order (seed: <c>with_env_vars</c>).</summary>
public sealed record EnvVarsLayer(ValueArray<EnvironmentVariable> Variables) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "EnvVars";
}

/// <summary>Sets the working directory (seed: <c>with_workdir</c>).</summary>
public sealed record WorkdirLayer(string Path) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "Workdir";
}

/// <summary>Runs shell commands, one RUN step each (seed: <c>with_commands</c>).</summary>
public sealed record CommandsLayer(ValueArray<string> Commands, ValueArray<Secret> Secrets) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "Commands";
}

/// <summary>Helpers that build validated layers; the <c>Image.With*</c> methods use them.</summary>
public static partial class Layers
{
    /// <summary>A validated apt layer.</summary>
    public static AptPackagesLayer AptPackages(IEnumerable<string> packages, IEnumerable<Secret>? secrets = null)
    {
        var list = packages.ToValueArray();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.EmptyLayer, "AptPackages");
        foreach (var p in list) ValueRules.ValidateAptPackage(p);
        return new AptPackagesLayer(list, (secrets ?? []).ToValueArray());
    }

    /// <summary>A validated pip layer.</summary>
    public static PipPackagesLayer PipPackages(IEnumerable<string> packages, PipOptions? options = null)
    {
        var list = packages.ToValueArray();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.EmptyLayer, "PipPackages");
        foreach (var p in list) ValueRules.ValidatePipRequirement(p);
        return new PipPackagesLayer(list, (options ?? PipOptions.None).Validate());
    }

    /// <summary>A validated requirements layer (the file must end in <c>.txt</c>).</summary>
    public static RequirementsLayer Requirements(string file, PipOptions? options = null)
    {
        var full = ValueRules.FullHostPath(file, "requirements file");
        if (!full.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            throw new ImageDefinitionException(DiagnosticCodes.RequirementsNotTxt, file);
        return new RequirementsLayer(full, (options ?? PipOptions.None).Validate());
    }

    /// <summary>A validated uv project layer; the lock file defaults to <c>uv.lock</c> beside the pyproject.</summary>
    public static UvProjectLayer UvProject(string pyprojectFile, string? uvLockFile = null, PipOptions? options = null)
    {
        var full = ValueRules.FullHostPath(pyprojectFile, "pyproject.toml");
        var lockFile = string.IsNullOrEmpty(uvLockFile)
            // The root folder has no parent: no uv.lock can sit beside a pyproject there.
            ? Path.Combine(Path.GetDirectoryName(full) ?? throw new ImageDefinitionException(DiagnosticCodes.FileNotFound, "pyproject.toml", pyprojectFile), "uv.lock")
            : ValueRules.FullHostPath(uvLockFile, "uv.lock file");
        return new UvProjectLayer(full, lockFile, (options ?? PipOptions.None).Validate());
    }

    /// <summary>A validated source folder layer.</summary>
    public static SourceFolderLayer SourceFolder(string source, string destination = ".")
        => new(ValueRules.FullHostPath(source, "source folder"), ValueRules.ValidateImagePath(string.IsNullOrEmpty(destination) ? "." : destination, "a source destination"));

    /// <summary>A validated source file layer.</summary>
    public static SourceFileLayer SourceFile(string source, string destination = ".")
        => new(ValueRules.FullHostPath(source, "source file"), ValueRules.ValidateImagePath(string.IsNullOrEmpty(destination) ? "." : destination, "a source destination"));

    /// <summary>A dockerignore layer.</summary>
    public static DockerIgnoreLayer DockerIgnore(string file) => new(ValueRules.FullHostPath(file, ".dockerignore file"));

    /// <summary>A validated environment layer.</summary>
    public static EnvVarsLayer EnvVars(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var list = variables.Select(kv => new EnvironmentVariable(kv.Key, kv.Value ?? "")).ToValueArray();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.EmptyLayer, "EnvVars");
        foreach (var v in list) ValueRules.ValidateEnvironmentVariable(v.Name, v.Value);
        return new EnvVarsLayer(list);
    }

    /// <summary>A validated workdir layer: an absolute path (CIMG2014 otherwise).</summary>
    public static WorkdirLayer Workdir(string path)
    {
        var valid = ValueRules.ValidateImagePath(path, "the working directory");
        // The engine resolves a relative WORKDIR against the previous one, so the image would not hold the declared path.
        return valid.StartsWith('/')
            ? new WorkdirLayer(valid)
            : throw new ImageDefinitionException(DiagnosticCodes.InvalidImagePath, path, "the working directory",
                "it is relative; write the absolute path (starting with '/') the working directory should be");
    }

    /// <summary>A validated commands layer.</summary>
    public static CommandsLayer Commands(IEnumerable<string> commands, IEnumerable<Secret>? secrets = null)
    {
        var list = commands.ToValueArray();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.EmptyLayer, "Commands");
        foreach (var c in list) ValueRules.ValidateCommand(c);
        return new CommandsLayer(list, (secrets ?? []).ToValueArray());
    }
}
