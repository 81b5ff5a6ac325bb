using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>
/// An immutable container image definition: a base plus ordered layers, for one or more platforms.
/// Every <c>With*</c> method and <see cref="Clone"/> returns a new instance; instances compare by value.
/// </summary>
/// <remarks>
/// The model decides what an image is; <see cref="Identifier"/> and <see cref="Validate"/> delegate
/// to the identity and context concerns, which read the declared files.
/// </remarks>
public sealed class Image : IEquatable<Image>
{
    /// <summary>The default uv image the uv installer mode copies <c>/uv</c> from.</summary>
    public const string DefaultUvImage = "ghcr.io/astral-sh/uv:0.8.22";

    /// <summary>The name used when none is given.</summary>
    public const string DefaultName = "app";

    private Image(ImageBase @base, ValueArray<Platform> platforms)
    {
        Base = @base;
        Platforms = platforms;
    }

    // Copy constructor for the 'new Image(this) { ... }' updates below (a record cannot have a
    // member named Clone, which the seed's API needs, so Image is a class with value equality).
    private Image(Image other)
    {
        Base = other.Base;
        Layers = other.Layers;
        Platforms = other.Platforms;
        Registry = other.Registry;
        Name = other.Name;
        Tag = other.Tag;
        Installer = other.Installer;
        UvImage = other.UvImage;
    }

    /// <summary>What the image starts from.</summary>
    public ImageBase Base { get; private init; }

    /// <summary>The layers, in declaration order.</summary>
    public ValueArray<Layer> Layers { get; private init; } = ValueArray<Layer>.Empty;

    /// <summary>The platforms to build for (at least one, no duplicates).</summary>
    public ValueArray<Platform> Platforms { get; private init; }

    /// <summary>The registry (host[:port][/prefix]), or <c>null</c> for a local image.</summary>
    public string? Registry { get; private init; }

    /// <summary>The repository name.</summary>
    public string Name { get; private init; } = DefaultName;

    /// <summary>An explicit tag; when <c>null</c> the tag is the <see cref="Identifier"/>.</summary>
    public string? Tag { get; private init; }

    /// <summary>How Python packages are installed.</summary>
    public PythonInstaller Installer { get; private init; } = PythonInstaller.Uv;

    /// <summary>The image uv is copied from in <see cref="PythonInstaller.Uv"/> mode.</summary>
    public string UvImage { get; private init; } = DefaultUvImage;

    /// <summary>The Python version, for Debian-based images (directly or through parents); <c>null</c> otherwise.</summary>
    public PythonVersion? PythonVersion => DebianRoot?.Python;

    /// <summary>
    /// The Debian base whose conventions (user, virtual environment) this image follows: its own base,
    /// or the base at the end of its parent chain; <c>null</c> when that is not a Debian base.
    /// </summary>
    public DebianBase? DebianRoot => (Base is ParentImageBase parent ? parent.Root : Base) as DebianBase;

    /// <summary>
    /// The user the container runs as, as far as this definition says: the last <see cref="UserLayer"/>,
    /// else the parent's runtime user, else a Debian base's user; <c>null</c> when the base image decides.
    /// </summary>
    public string? RuntimeUser => Layers.OfType<UserLayer>().LastOrDefault()?.User
        ?? (Base is ParentImageBase parent ? parent.Parent.RuntimeUser : (Base as DebianBase)?.User);

    // ---- the four bases -------------------------------------------------------------------

    /// <summary>
    /// A Debian image with Python (seed: <c>from_debian_base</c>). Defaults: Python
    /// <see cref="Model.PythonVersion.Default"/>, the core library installed, platforms linux/amd64 and linux/arm64.
    /// </summary>
    public static Image FromDebianBase(
        PythonVersion? pythonVersion = null,
        bool installCoreLibrary = true,
        string? registry = null,
        string? name = null,
        IEnumerable<Platform>? platforms = null,
        string? coreLibrarySpec = null,
        string? baseImageTemplate = null)
    {
        var debian = new DebianBase
        {
            Python = pythonVersion ?? Model.PythonVersion.Default,
            InstallCoreLibrary = installCoreLibrary,
            CoreLibrarySpec = string.IsNullOrWhiteSpace(coreLibrarySpec) ? DebianBase.DefaultCoreLibrarySpec : coreLibrarySpec,
            BaseImageTemplate = string.IsNullOrWhiteSpace(baseImageTemplate) ? DebianBase.DefaultBaseImageTemplate : baseImageTemplate,
        };
        ValueRules.ValidatePipRequirement(debian.CoreLibrarySpec);
        _ = debian.BaseImage; // validates the template's result
        return new Image(debian, CheckPlatforms(platforms, Platform.LinuxAmd64, Platform.LinuxArm64))
            .WithRegistry(registry).WithName(name ?? DefaultName);
    }

    /// <summary>An existing image by full reference (seed: <c>from_base</c>); platform linux/amd64 unless given.</summary>
    public static Image FromBase(string imageUri, string? registry = null, string? name = null, IEnumerable<Platform>? platforms = null)
        => new Image(new ExistingImageBase(ImageReference.Parse(imageUri)), CheckPlatforms(platforms, Platform.LinuxAmd64))
            .WithRegistry(registry).WithName(name ?? DefaultName);

    /// <summary>
    /// A user's Dockerfile, used as it is with its folder as context (seed: <c>from_dockerfile</c>);
    /// no layers can be added. Platform linux/amd64 unless given.
    /// </summary>
    public static Image FromDockerfile(string file, string? registry = null, string? name = null, IEnumerable<Platform>? platforms = null)
        => new Image(new DockerfileBase(ValueRules.FullHostPath(file, "Dockerfile")), CheckPlatforms(platforms, Platform.LinuxAmd64))
            .WithRegistry(registry).WithName(name ?? DefaultName);

    /// <summary>
    /// A Debian image for a uv script (seed: <c>from_uv_script</c>): the script's PEP 723 header
    /// chooses the Python version (<c>requires-python</c>) and its <c>dependencies</c> become a
    /// <see cref="PipPackagesLayer"/>, installed from the indexes its <c>[tool.uv]</c> table names
    /// (<see cref="Python.UvScriptHeader.IndexOptions"/>). <paramref name="options"/> wins where it says
    /// something: its index URL, its extra index URLs (when any), <c>Pre</c> when true; its extra
    /// arguments and secrets are used as given.
    /// </summary>
    public static Image FromUvScript(
        string script,
        string? name = null,
        string? registry = null,
        PythonVersion? pythonVersion = null,
        bool installCoreLibrary = true,
        IEnumerable<Platform>? platforms = null,
        PipOptions? options = null,
        string? baseImageTemplate = null)
    {
        var header = Python.UvScriptHeader.Read(script);
        var image = FromDebianBase(pythonVersion ?? header.ResolvePythonVersion(), installCoreLibrary, registry, name, platforms,
            baseImageTemplate: baseImageTemplate);
        return header.Dependencies.Count == 0 ? image : image.WithPipPackages(header.Dependencies, Overlay(options, header.IndexOptions));
    }

    // The caller's options over the header's: a CI machine may point every build at a mirror.
    private static PipOptions Overlay(PipOptions? given, PipOptions header) => given is null ? header : given with
    {
        IndexUrl = given.IndexUrl ?? header.IndexUrl,
        ExtraIndexUrls = given.ExtraIndexUrls.Count > 0 ? given.ExtraIndexUrls : header.ExtraIndexUrls,
        Pre = given.Pre || header.Pre,
    };

    /// <summary>
    /// An image built on top of <paramref name="parent"/> (<c>FROM</c> its built URI). It inherits the
    /// parent's platforms, Python installer and registry (unless another is given), and, when the parent
    /// chain ends in a Debian base, its conventions: files are owned by the base user, which is also the
    /// runtime user unless a <see cref="UserLayer"/> says otherwise. Build the parent first (<see cref="ImageGraph.Order"/>).
    /// </summary>
    public static Image FromParent(Image parent, string? name = null, string? registry = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var child = new Image(new ParentImageBase(parent), parent.Platforms) { Installer = parent.Installer, UvImage = parent.UvImage };
        return child.WithRegistry(registry ?? parent.Registry).WithName(name ?? DefaultName);
    }

    /// <summary>An image derived from this one: <see cref="FromParent"/>(this, <paramref name="name"/>).</summary>
    public Image Derive(string? name = null) => FromParent(this, name);

    // ---- layers ---------------------------------------------------------------------------

    /// <summary>Appends <paramref name="layer"/>; throws <see cref="DiagnosticCodes.LayersOnDockerfileImage"/> on a Dockerfile image.</summary>
    public Image WithLayer(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (Base is DockerfileBase dockerfile)
        {
            throw new ImageDefinitionException(DiagnosticCodes.LayersOnDockerfileImage, dockerfile.DockerfilePath) { LayerIndex = Layers.Count };
        }
        return new Image(this) { Layers = Layers.Add(layer) };
    }

    /// <summary>Installs Debian packages (seed: <c>with_apt_packages</c>).</summary>
    public Image WithAptPackages(IEnumerable<string> packages, IEnumerable<Secret>? secrets = null)
        => WithLayer(Model.Layers.AptPackages(packages, secrets));

    /// <summary>Installs Debian packages.</summary>
    public Image WithAptPackages(params string[] packages) => WithAptPackages((IEnumerable<string>)packages);

    /// <summary>Installs Python packages (seed: <c>with_pip_packages</c>).</summary>
    public Image WithPipPackages(IEnumerable<string> packages, PipOptions? options = null)
        => WithLayer(Model.Layers.PipPackages(packages, options));

    /// <summary>Installs Python packages.</summary>
    public Image WithPipPackages(params string[] packages) => WithPipPackages((IEnumerable<string>)packages);

    /// <summary>Installs a <c>.txt</c> requirements file, following its <c>-r</c>/<c>-c</c> includes (seed: <c>with_requirements</c>).</summary>
    public Image WithRequirements(string file, PipOptions? options = null)
        => WithLayer(Model.Layers.Requirements(file, options));

    /// <summary>Installs a uv project's locked dependencies (seed: <c>with_uv_project</c>); the lock defaults to the sibling <c>uv.lock</c>.</summary>
    public Image WithUvProject(string pyprojectFile, string? uvLockFile = null, PipOptions? options = null)
        => WithLayer(Model.Layers.UvProject(pyprojectFile, uvLockFile, options));

    /// <summary>Copies a folder (seed: <c>with_source_folder</c>); <paramref name="destination"/> <c>.</c> is the working directory.</summary>
    public Image WithSourceFolder(string source, string destination = ".")
        => WithLayer(Model.Layers.SourceFolder(source, destination));

    /// <summary>Copies a file (seed: <c>with_source_file</c>); <paramref name="destination"/> <c>.</c> is the working directory.</summary>
    public Image WithSourceFile(string source, string destination = ".")
        => WithLayer(Model.Layers.SourceFile(source, destination));

    /// <summary>Applies a <c>.dockerignore</c> to every source layer, in the context and the identifier (seed: <c>with_dockerignore</c>).</summary>
    public Image WithDockerIgnore(string file) => WithLayer(Model.Layers.DockerIgnore(file));

    /// <summary>Sets environment variables, in the given order (seed: <c>with_env_vars</c>).</summary>
    public Image WithEnvVars(IEnumerable<KeyValuePair<string, string>> variables) => WithLayer(Model.Layers.EnvVars(variables));

    /// <summary>Sets the working directory (seed: <c>with_workdir</c>).</summary>
    public Image WithWorkdir(string path) => WithLayer(Model.Layers.Workdir(path));

    /// <summary>Runs shell commands, one RUN step each, without a <c>RUN</c> prefix (seed: <c>with_commands</c>).</summary>
    public Image WithCommands(IEnumerable<string> commands, IEnumerable<Secret>? secrets = null)
        => WithLayer(Model.Layers.Commands(commands, secrets));

    /// <summary>Copies the output of <c>dotnet publish</c> (a folder) into the image, at <c>/app</c> unless another destination is given.</summary>
    public Image WithAppPublishOutput(string publishFolder, string? destination = null)
        => WithLayer(Model.Layers.AppPublishOutput(publishFolder, destination));

    /// <summary>Sets the entrypoint (exec form); no arguments clears an inherited one.</summary>
    public Image WithEntrypoint(IEnumerable<string> arguments) => WithLayer(Model.Layers.Entrypoint(arguments));

    /// <summary>Sets the entrypoint (exec form).</summary>
    public Image WithEntrypoint(params string[] arguments) => WithEntrypoint((IEnumerable<string>)arguments);

    /// <summary>Sets the default command (<c>CMD</c>, exec form); no arguments clears an inherited one.</summary>
    public Image WithCommand(IEnumerable<string> arguments) => WithLayer(Model.Layers.Command(arguments));

    /// <summary>Sets the default command (<c>CMD</c>, exec form).</summary>
    public Image WithCommand(params string[] arguments) => WithCommand((IEnumerable<string>)arguments);

    /// <summary>Sets the user later steps and the container run as (a name or <c>uid[:gid]</c>).</summary>
    public Image WithUser(string user) => WithLayer(Model.Layers.User(user));

    /// <summary>Declares ports the container listens on: <c>8080</c>, <c>8080/tcp</c>, <c>53/udp</c>.</summary>
    public Image WithExposedPorts(IEnumerable<string> ports) => WithLayer(Model.Layers.ExposePorts(ports));

    /// <summary>Declares ports the container listens on.</summary>
    public Image WithExposedPorts(params string[] ports) => WithExposedPorts((IEnumerable<string>)ports);

    /// <summary>Sets the health check command (exec form) and optional timings.</summary>
    public Image WithHealthcheck(IEnumerable<string> command, TimeSpan? interval = null, TimeSpan? timeout = null, TimeSpan? startPeriod = null, int? retries = null)
        => WithLayer(Model.Layers.Healthcheck(command, interval, timeout, startPeriod, retries));

    /// <summary>Turns off a health check inherited from the base (<c>HEALTHCHECK NONE</c>).</summary>
    public Image WithoutHealthcheck() => WithLayer(Model.Layers.HealthcheckNone());

    /// <summary>Sets labels (OCI <c>org.opencontainers.image.*</c> or any other); their order does not matter.</summary>
    public Image WithLabels(IEnumerable<KeyValuePair<string, string>> labels) => WithLayer(Model.Layers.Labels(labels));

    /// <summary>
    /// Pins the existing-image base to <paramref name="digest"/> (as <c>RegistryClient.ResolveDigestAsync</c>
    /// reports it): <c>FROM repo:tag@digest</c>, the labels <c>org.opencontainers.image.base.name</c> and
    /// <c>.base.digest</c> record it, and the identifier covers it. Throws <see cref="DiagnosticCodes.BasePinNotApplicable"/>
    /// on other bases, <see cref="DiagnosticCodes.InvalidDigest"/> for a malformed digest and
    /// <see cref="DiagnosticCodes.BaseAlreadyPinned"/> when the reference already names another digest.
    /// </summary>
    public Image WithPinnedBase(string digest)
    {
        if (Base is not ExistingImageBase existing) throw new ImageDefinitionException(DiagnosticCodes.BasePinNotApplicable, Base.Kind);
        if (!ImageNames.IsDigest(digest)) throw new ImageDefinitionException(DiagnosticCodes.InvalidDigest, digest ?? "");
        if (existing.Reference.Digest is { } written && written != digest)
            throw new ImageDefinitionException(DiagnosticCodes.BaseAlreadyPinned, existing.Reference.ToString(), digest);
        return new Image(this) { Base = existing with { PinnedDigest = digest } };
    }

    // ---- naming and options ---------------------------------------------------------------

    // For the identifier only: the same image on another base of the same kind.
    internal Image WithBase(ImageBase @base) => new Image(this) { Base = @base };

    /// <summary>A copy with another registry (<c>null</c> for none).</summary>
    public Image WithRegistry(string? registry) => new Image(this) { Registry = ImageNames.ValidateRegistry(registry) };

    /// <summary>A copy with another repository name.</summary>
    public Image WithName(string name) => new Image(this) { Name = ImageNames.ValidateName(name) };

    /// <summary>A copy with an explicit tag (<c>null</c> to derive it from the identifier).</summary>
    public Image WithTag(string? tag) => new Image(this) { Tag = ImageNames.ValidateTag(tag) };

    /// <summary>A copy for other platforms.</summary>
    /// <remarks>A derived image can only use platforms its parent builds (<see cref="DiagnosticCodes.PlatformNotInParent"/>).</remarks>
    public Image WithPlatforms(IEnumerable<Platform> platforms)
    {
        var list = CheckPlatforms(platforms, null);
        if (Base is ParentImageBase parent && list.FirstOrDefault(p => !parent.Parent.Platforms.Contains(p)) is { } missing)
        {
            throw new ImageDefinitionException(DiagnosticCodes.PlatformNotInParent, missing, parent.Parent.Name, string.Join(", ", parent.Parent.Platforms));
        }
        return new Image(this) { Platforms = list };
    }

    /// <summary>A copy with another Python installer mode (and optionally another uv image).</summary>
    public Image WithPythonInstaller(PythonInstaller installer, string? uvImage = null)
    {
        var uv = string.IsNullOrWhiteSpace(uvImage) ? UvImage : ImageReference.Parse(uvImage).ToString();
        return new Image(this) { Installer = installer, UvImage = uv };
    }

    /// <summary>A copy with other Debian base settings; throws <see cref="DiagnosticCodes.PythonVersionNotApplicable"/> on other bases.</summary>
    public Image WithDebianBase(Func<DebianBase, DebianBase> change)
    {
        if (Base is not DebianBase debian) throw new ImageDefinitionException(DiagnosticCodes.PythonVersionNotApplicable, Base.Kind);
        var changed = change(debian);
        foreach (var p in changed.AptPackages) ValueRules.ValidateAptPackage(p);
        ValueRules.ValidateUser(changed.User);
        ValueRules.ValidatePipRequirement(changed.CoreLibrarySpec);
        _ = changed.BaseImage;
        return new Image(this) { Base = changed };
    }

    /// <summary>
    /// A new image from this one (seed: <c>clone</c>): optionally another registry, name or Python
    /// version, plus an additional layer.
    /// </summary>
    public Image Clone(string? registry = null, string? name = null, PythonVersion? pythonVersion = null, Layer? additionalLayer = null)
    {
        var image = this;
        if (registry is not null) image = image.WithRegistry(registry);
        if (name is not null) image = image.WithName(name);
        if (pythonVersion is { } version) image = image.WithDebianBase(d => d with { Python = version });
        if (additionalLayer is not null) image = image.WithLayer(additionalLayer);
        return image;
    }

    // ---- identity and validation ----------------------------------------------------------

    /// <summary>
    /// The content identifier: SHA-256 (hex) over the canonical encoding of the definition and the
    /// content of every declared input file (see <c>docs/identifier.md</c>). Reads the files each call.
    /// </summary>
    public string Identifier => Identity.ImageIdentifier.Compute(this).Identifier;

    /// <summary>The tag: <see cref="Tag"/> when set, otherwise the <see cref="Identifier"/>.</summary>
    public string EffectiveTag => Tag ?? Identifier;

    /// <summary>The image URI, <c>&lt;registry&gt;/&lt;name&gt;:&lt;tag&gt;</c> (no registry prefix when none is set).</summary>
    public string Uri => UriFor(EffectiveTag);

    /// <summary>The URI with a given tag.</summary>
    public string UriFor(string tag) => (Registry is null ? "" : Registry + "/") + Name + ":" + tag;

    /// <summary>Every problem with the declared inputs (missing files, bad includes, unavailable secrets when asked).</summary>
    public IReadOnlyList<ImageProblem> Check(bool checkSecretSources = false)
        => Context.InputChecker.Check(this, checkSecretSources);

    /// <summary>Throws <see cref="ImageValidationException"/> when <see cref="Check"/> finds problems (seed: <c>validate</c>).</summary>
    public Image Validate(bool checkSecretSources = false)
    {
        var problems = Check(checkSecretSources);
        return problems.Count == 0 ? this : throw new ImageValidationException(problems);
    }

    /// <summary>Every secret the layers use, distinct by id, in first-use order.</summary>
    public IReadOnlyList<Secret> Secrets
    {
        get
        {
            var seen = new Dictionary<string, Secret>(StringComparer.Ordinal);
            foreach (var secret in Layers.SelectMany(SecretsOf))
            {
                if (seen.TryGetValue(secret.Id, out var existing))
                {
                    if (existing != secret) throw new ImageDefinitionException(DiagnosticCodes.ConflictingSecret, secret.Id);
                    continue;
                }
                seen.Add(secret.Id, secret);
            }
            return seen.Values.ToList();
        }
    }

    /// <summary>The secrets one layer uses.</summary>
    public static IEnumerable<Secret> SecretsOf(Layer layer) => layer switch
    {
        AptPackagesLayer apt => apt.Secrets,
        CommandsLayer commands => commands.Secrets,
        PipPackagesLayer pip => pip.Options.Secrets,
        RequirementsLayer requirements => requirements.Options.Secrets,
        UvProjectLayer uv => uv.Options.Secrets,
        _ => [],
    };

    /// <inheritdoc/>
    public bool Equals(Image? other) => other is not null && Base == other.Base && Layers == other.Layers
        && Platforms == other.Platforms && Registry == other.Registry && Name == other.Name && Tag == other.Tag
        && Installer == other.Installer && UvImage == other.UvImage;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Image);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Base, Layers, Platforms, Registry, Name, Tag, Installer, UvImage);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Image? left, Image? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Image? left, Image? right) => !(left == right);

    /// <inheritdoc/>
    public override string ToString() => $"{Base.Kind} image {(Registry is null ? "" : Registry + "/")}{Name} with {Layers.Count} layer(s)";

    private static ValueArray<Platform> CheckPlatforms(IEnumerable<Platform>? platforms, params Platform[]? defaults)
    {
        var list = (platforms ?? defaults ?? []).ToValueArray();
        if (list.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.InvalidPlatformList, "it is empty");
        var duplicate = list.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ImageDefinitionException(DiagnosticCodes.InvalidPlatformList, $"'{duplicate.Key}' is listed twice");
        return list;
    }
}
