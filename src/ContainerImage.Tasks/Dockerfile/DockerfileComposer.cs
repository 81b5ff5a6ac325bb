using System.Globalization;
using System.Text.RegularExpressions;
using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>
/// Composes one Dockerfile: the header for the base, one block per layer in declaration order
/// (a method per layer kind, in the <c>.Layers</c> part), and the footer.
/// </summary>
internal sealed partial class DockerfileComposer
{
    private readonly Image _image;
    private readonly ContextPlan _plan;
    private readonly DockerfileOptions _options;
    private readonly PythonInstallCommands _python;
    private readonly DockerfileText _text = new();

    // The main stage declares SOURCE_DATE_EPOCH once, before its first RUN (see Run).
    private bool _sourceDateEpochDeclared;

    // COPY --chown only names a user this Dockerfile created; on an existing image it may not exist.
    private readonly string _chownFlag;

    // The absolute working directory where known (WorkingDirectory), and the chunks written with COPY --link.
    private string? _workdir;
    private readonly List<Build.LinkedChunk> _linkedChunks = [];

    public DockerfileComposer(Image image, ContextPlan plan, DockerfileOptions options)
    {
        _image = image;
        _plan = plan;
        _options = options;
        _python = new PythonInstallCommands(image);
        _chownFlag = image.DebianRoot is { } debian ? "--chown=" + debian.User + ":" + debian.User + " " : "";
        _workdir = WorkingDirectory.Initial(image);
    }

    /// <summary>The chunks <see cref="Compose"/> wrote with <c>COPY --link</c> (only with <see cref="DockerfileOptions.LinkChunks"/>).</summary>
    public IReadOnlyList<Build.LinkedChunk> LinkedChunks => _linkedChunks;

    /// <summary>The whole Dockerfile text.</summary>
    public string Compose()
    {
        if (_options.Syntax is { } syntax) _text.Line("# syntax=" + syntax);
        switch (_image.Base)
        {
            case DebianBase debian: WriteDebianHeader(debian); break;
            case ExistingImageBase existing: WriteExistingHeader(existing); break;
            case ParentImageBase parent: WriteParentHeader(parent); break;
            default: throw new ArgumentException($"No Dockerfile is generated for a {_image.Base.Kind} base.");
        }
        for (var index = 0; index < _image.Layers.Count; index++) WriteLayer(index, _image.Layers[index]);
        WriteUserFooter();
        return _text.ToString();
    }

    /// <summary>
    /// Debian conventions: the container runs as the base user, unless this image declares a User layer
    /// (its own USER, written in place, then stands) or a parent's User layer chose another runtime user.
    /// </summary>
    private void WriteUserFooter()
    {
        if (_image.DebianRoot is null || _image.Layers.Any(l => l is UserLayer) || _image.RuntimeUser is not { } user) return;
        _text.Blank();
        _text.Line("USER " + user);
    }

    private bool HasPythonWork => _image.Base is DebianBase
        || _image.Layers.Any(l => l is PipPackagesLayer or RequirementsLayer or UvProjectLayer);

    private void WriteUvStage()
    {
        if (_python.UsesUv && HasPythonWork) _text.Line("FROM " + _image.UvImage + " AS uv");
    }

    private void CopyUvBinary()
    {
        if (_python.UsesUv && HasPythonWork) _text.Line("COPY --from=uv /uv /usr/bin/uv");
    }

    /// <summary>
    /// A RUN step, preceded, before the stage's first one, by <c>ARG SOURCE_DATE_EPOCH</c>: a build
    /// argument reaches a RUN step's environment only once its stage declares it. Then Python compiles
    /// hash-based <c>.pyc</c> files (PEP 552) instead of ones that embed the <c>.py</c> files' install
    /// times, and <c>useradd</c> writes the epoch, not today, as the password's last change: both
    /// otherwise differ from one build to the next (measured). An ARG never enters the image config's
    /// environment, and a build without an epoch leaves the variable unset in the step. Declared only
    /// where a RUN follows: an image of COPY and config instructions has no step that could read it.
    /// </summary>
    private void Run(IEnumerable<string> flags, string script)
    {
        if (!_sourceDateEpochDeclared)
        {
            _text.Line("ARG " + Build.BuildxArguments.SourceDateEpochName);
            _sourceDateEpochDeclared = true;
        }
        _text.Run(flags, script);
    }

    private void WriteExistingHeader(ExistingImageBase existing)
    {
        WriteUvStage();
        _text.Line("FROM " + existing.EffectiveReference);
        CopyUvBinary();
        if (existing.PinnedDigest is { } digest)
        {
            // The OCI annotations for a base image, as labels: the config then says what it was built on.
            _text.Line("LABEL org.opencontainers.image.base.name=" + DockerfileQuoting.DoubleQuoted(existing.Reference.ToString())
                + " org.opencontainers.image.base.digest=" + DockerfileQuoting.DoubleQuoted(digest));
        }
    }

    /// <summary>
    /// <c>FROM</c> the parent's built URI. A parent chain ending in a Debian base ends with <c>USER</c> the
    /// base user: this image's steps go back to root (apt and the installers need it) and the footer
    /// restores the runtime user; the user and the virtual environment already exist.
    /// </summary>
    private void WriteParentHeader(ParentImageBase parent)
    {
        WriteUvStage();
        _text.Line("FROM " + parent.Parent.Uri);
        CopyUvBinary();
        if (_image.DebianRoot is not null) _text.Line("USER root");
    }

    private void WriteDebianHeader(DebianBase debian)
    {
        CheckUserCanBeCreated(debian);
        WriteUvStage();
        _text.Line("FROM " + debian.BaseImage);
        CopyUvBinary();
        _text.Blank();
        var user = DockerfileQuoting.Shell(debian.User);
        // Guarded so a base that already has the user (e.g. a mirror's prepared image) still builds.
        Run([], $"id -u {user} >/dev/null 2>&1 || useradd --create-home --no-log-init --uid {debian.UserId.ToString(CultureInfo.InvariantCulture)} --shell /bin/bash {user}");
        _text.Line("ENV VIRTUAL_ENV=" + PythonInstallCommands.VenvPath);
        _text.Line("ENV PATH=\"" + PythonInstallCommands.VenvPath + "/bin:$PATH\"");
        if (_python.UsesUv)
        {
            // Cache mounts are another filesystem: uv's default hard links would fail over to copies with a warning.
            _text.Line("ENV UV_LINK_MODE=copy");
            _text.Line("ENV UV_PYTHON=" + PythonInstallCommands.VenvPython);
        }
        if (debian.AptPackages.Count > 0) WriteAptInstall(debian.AptPackages, []);
        Run([], _python.CreateVenv);
        if (debian.InstallCoreLibrary) Run([_python.CacheMount], _python.Install(PipOptions.None, [debian.CoreLibrarySpec]));
        // In the header, not the footer: a Workdir layer declared by the user must win (the reference's footer WORKDIR overrode it).
        _text.Line("WORKDIR " + DockerfileQuoting.DoubleQuoted("/home/" + debian.User));
    }

    private static void CheckUserCanBeCreated(DebianBase debian)
    {
        if (!CreatableUserName().IsMatch(debian.User) || debian.UserId is < 1 or > 2147483646)
        {
            throw new ImageDefinitionException(DiagnosticCodes.DebianUserNotCreatable, debian.User, debian.UserId);
        }
    }

    // What useradd accepts as a new name (not 'uid:gid', not all digits), kept to the model's user alphabet.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,31}$")]
    private static partial Regex CreatableUserName();
}
