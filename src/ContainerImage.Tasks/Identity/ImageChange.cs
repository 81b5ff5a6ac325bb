namespace ContainerImage.Identity;

/// <summary>One reason an image's identifier differs from an earlier one, as a user would recognise it.</summary>
/// <param name="Kind">
/// What kind of input changed: <c>base</c>, <c>python</c>, <c>platforms</c>, <c>installer</c>, <c>layer-added</c>,
/// <c>layer-removed</c>, <c>layer-moved</c>, <c>layer-parameters</c>, <c>file-added</c>, <c>file-changed</c>,
/// <c>file-removed</c>, <c>file-mode</c> or <c>dockerfile</c> (the generated text alone changed).
/// </param>
/// <param name="Layer">The layer's index in the current image (in the earlier one for a removed layer; -1 for a
/// Dockerfile image's context), or null when the change is not about one layer.</param>
/// <param name="Message">One line, e.g. <c>layer 4 (SourceFolder app -&gt; /srv/app): main.py changed</c>. Never holds an
/// environment variable's or label's value (only names), nor any secret.</param>
public sealed record ImageChange(string Kind, int? Layer, string Message)
{
    /// <summary>Kind: the base image, its digest, user or apt packages changed.</summary>
    public const string BaseKind = "base";

    /// <summary>Kind: the Python version of a Debian base changed.</summary>
    public const string PythonKind = "python";

    /// <summary>Kind: the platform set changed.</summary>
    public const string PlatformsKind = "platforms";

    /// <summary>Kind: the Python installer (uv/pip) or the uv image changed.</summary>
    public const string InstallerKind = "installer";

    /// <summary>Kind: a layer was added.</summary>
    public const string LayerAddedKind = "layer-added";

    /// <summary>Kind: a layer was removed.</summary>
    public const string LayerRemovedKind = "layer-removed";

    /// <summary>Kind: a layer moved to another position.</summary>
    public const string LayerMovedKind = "layer-moved";

    /// <summary>Kind: a layer's declared parameters changed (packages, destination, variables...).</summary>
    public const string LayerParametersKind = "layer-parameters";

    /// <summary>Kind: a file was added to a layer.</summary>
    public const string FileAddedKind = "file-added";

    /// <summary>Kind: a file's content changed.</summary>
    public const string FileChangedKind = "file-changed";

    /// <summary>Kind: a file was removed from a layer.</summary>
    public const string FileRemovedKind = "file-removed";

    /// <summary>Kind: a file's execute bit changed.</summary>
    public const string FileModeKind = "file-mode";

    /// <summary>Kind: only the generated Dockerfile differs (e.g. another ContainerImage.Sdk version).</summary>
    public const string DockerfileKind = "dockerfile";
}
