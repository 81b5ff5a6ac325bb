namespace ContainerImage.Model;

/// <summary>
/// Copies the output folder of <c>dotnet publish</c> into the image (like <see cref="SourceFolderLayer"/>,
/// but named for what it is). On a Debian base, or an image derived from one, the files belong to the base's user.
/// </summary>
/// <param name="Source">The publish folder on the build machine (absolute).</param>
/// <param name="Destination">The folder in the image, <see cref="DefaultDestination"/> unless given.</param>
public sealed record AppPublishOutputLayer(string Source, string Destination) : Layer
{
    /// <summary>Where the app goes unless another folder is given.</summary>
    public const string DefaultDestination = "/app";

    /// <inheritdoc/>
    public override string Kind => "AppPublishOutput";
}

/// <summary>
/// The program the container runs (<c>ENTRYPOINT</c>, exec form: no shell, each argument passed as it
/// is). An empty list clears an entrypoint inherited from the base.
/// </summary>
public sealed record EntrypointLayer(ValueArray<string> Arguments) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "Entrypoint";
}

/// <summary>
/// The default command (<c>CMD</c>, exec form): the arguments given to the entrypoint, or the program
/// to run when there is none. An empty list clears an inherited command.
/// </summary>
public sealed record DefaultCommandLayer(ValueArray<string> Arguments) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "Command";
}

/// <summary>
/// The user later steps and the container run as (<c>USER</c>): a name or <c>uid[:gid]</c>. Like in a
/// Dockerfile, RUN steps declared after it run as that user; on a Debian base it replaces the base
/// user at run time.
/// </summary>
public sealed record UserLayer(string User) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "User";
}

/// <summary>Ports the container listens on (<c>EXPOSE</c>), each <c>number/tcp</c> or <c>number/udp</c>, sorted and distinct (a set).</summary>
public sealed record ExposePortsLayer(ValueArray<string> Ports) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "ExposePorts";
}

/// <summary>
/// The container's health check (<c>HEALTHCHECK</c>): a command in exec form and optional timings,
/// or, with <see cref="Command"/> <c>null</c>, <c>HEALTHCHECK NONE</c> (turns off an inherited check).
/// Timings left <c>null</c> keep the engine's defaults (30 s interval, 30 s timeout, 0 s start period, 3 retries).
/// </summary>
public sealed record HealthcheckLayer : Layer
{
    /// <summary>The command in exec form, or <c>null</c> for <c>NONE</c>.</summary>
    public ValueArray<string>? Command { get; init; }

    /// <summary>Time between checks.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Time one check may take.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Time after start during which failures do not count.</summary>
    public TimeSpan? StartPeriod { get; init; }

    /// <summary>Consecutive failures that make the container unhealthy.</summary>
    public int? Retries { get; init; }

    /// <summary>True for <c>HEALTHCHECK NONE</c>.</summary>
    public bool IsNone => Command is null;

    /// <inheritdoc/>
    public override string Kind => "Healthcheck";
}

/// <summary>One image label.</summary>
/// <param name="Key">e.g. <c>org.opencontainers.image.source</c>.</param>
/// <param name="Value">Any single-line value; written so that '$', quotes and spaces stay literal.</param>
public sealed record ImageLabel(string Key, string Value);

/// <summary>
/// Image labels (<c>LABEL</c>). Labels are a map in the image config, so the layer keeps them sorted by
/// key (ordinal): the order they are declared in changes neither the image nor its identifier.
/// </summary>
public sealed record LabelsLayer(ValueArray<ImageLabel> Labels) : Layer
{
    /// <inheritdoc/>
    public override string Kind => "Labels";
}
