namespace ContainerImage.Model;

/// <summary>What an image starts from: one of the four bases of the seed, or a parent image of the same definition set.</summary>
public abstract record ImageBase
{
    private protected ImageBase() { }

    /// <summary>A short name of the base kind, for messages and the identifier.</summary>
    public abstract string Kind { get; }
}

/// <summary>
/// A Debian image with Python (seed: <c>from_debian_base</c>), set up like the reference: an
/// unprivileged user, a virtual environment at <c>/opt/venv</c>, build tools, and optionally the core
/// library. Unlike the reference, the user's own <c>Workdir</c> layer is never overridden.
/// </summary>
public sealed record DebianBase : ImageBase
{
    /// <summary>The default base image reference; <c>{python}</c> is replaced by the Python version.</summary>
    public const string DefaultBaseImageTemplate = "python:{python}-slim-bookworm";

    /// <summary>The default core library package spec (the seed's <c>flyte</c>).</summary>
    public const string DefaultCoreLibrarySpec = "flyte";

    /// <inheritdoc/>
    public override string Kind => "Debian";

    /// <summary>The Python version.</summary>
    public PythonVersion Python { get; init; } = PythonVersion.Default;

    /// <summary>The base image reference template (mirrors, air-gapped registries); <c>{python}</c> is substituted.</summary>
    public string BaseImageTemplate { get; init; } = DefaultBaseImageTemplate;

    /// <summary>Whether the core library is installed.</summary>
    public bool InstallCoreLibrary { get; init; } = true;

    /// <summary>The core library's package spec, e.g. <c>flyte==2.0.0</c>.</summary>
    public string CoreLibrarySpec { get; init; } = DefaultCoreLibrarySpec;

    /// <summary>The apt packages every such image gets (the reference's <c>build-essential ca-certificates</c>).</summary>
    public ValueArray<string> AptPackages { get; init; } = ValueArray.Create("build-essential", "ca-certificates");

    /// <summary>The unprivileged user created in the image and used at run time.</summary>
    public string User { get; init; } = "app";

    /// <summary>The user's numeric id.</summary>
    public int UserId { get; init; } = 1000;

    /// <summary>The resolved base image reference.</summary>
    public ImageReference BaseImage => ImageReference.Parse(BaseImageTemplate.Replace("{python}", Python.ToString(), StringComparison.Ordinal));
}

/// <summary>An existing image (seed: <c>from_base</c>).</summary>
/// <param name="Reference">The full reference, with a tag or digest.</param>
public sealed record ExistingImageBase(ImageReference Reference) : ImageBase
{
    /// <inheritdoc/>
    public override string Kind => "Image";

    /// <summary>
    /// The manifest (or index) digest the base is pinned to (<see cref="Image.WithPinnedBase"/>), or <c>null</c>.
    /// When set, <c>FROM</c> names <c>repo:tag@digest</c>, so a moved tag cannot change what is built.
    /// </summary>
    public string? PinnedDigest { get; init; }

    /// <summary>The reference <c>FROM</c> uses: <see cref="Reference"/> with the pinned digest when there is one.</summary>
    public ImageReference EffectiveReference => PinnedDigest is null ? Reference : Reference.WithDigest(PinnedDigest);
}

/// <summary>
/// Another image of the same definition set (<see cref="Image.FromParent"/>): the Dockerfile starts
/// <c>FROM</c> the parent's built <see cref="Image.Uri"/>, so the parent must be built (and pushed) first;
/// <see cref="ImageGraph.Order"/> gives that order. The child's identifier covers the parent's identifier,
/// never its registry, name or tag.
/// </summary>
/// <param name="Parent">The image this one derives from.</param>
public sealed record ParentImageBase(Image Parent) : ImageBase
{
    /// <inheritdoc/>
    public override string Kind => "Parent";

    /// <summary>The base at the end of the parent chain (never a <see cref="ParentImageBase"/>).</summary>
    public ImageBase Root => Parent.Base is ParentImageBase grandparent ? grandparent.Root : Parent.Base;
}

/// <summary>A user's Dockerfile, used as it is, with its folder as the build context (seed: <c>from_dockerfile</c>).</summary>
/// <param name="DockerfilePath">The Dockerfile (absolute).</param>
public sealed record DockerfileBase(string DockerfilePath) : ImageBase
{
    /// <inheritdoc/>
    public override string Kind => "Dockerfile";

    /// <summary>The build context: the Dockerfile's folder.</summary>
    public string ContextDirectory => Path.GetDirectoryName(DockerfilePath)!;
}

/// <summary>How Python packages are installed.</summary>
public enum PythonInstaller
{
    /// <summary><c>uv pip install</c>, with uv copied from <see cref="Image.UvImage"/> (the reference's way).</summary>
    Uv,

    /// <summary>Plain <c>python -m pip install</c>, for places where the uv image cannot be pulled.</summary>
    Pip,
}
