using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Build;

/// <summary>Where the built image goes.</summary>
public enum OutputMode
{
    /// <summary><c>--push</c> to the registry in the tags.</summary>
    Push,

    /// <summary><c>--load</c> into the local engine.</summary>
    Load,

    /// <summary><c>--output type=oci,dest=...</c>.</summary>
    OciArchive,

    /// <summary><c>--output type=docker,dest=...</c>.</summary>
    DockerArchive,

    /// <summary>Build only (cache warm-up, checks).</summary>
    None,
}

/// <summary>How the image's layers are compressed (BuildKit's <c>compression</c> output option).</summary>
public enum LayerCompression
{
    /// <summary>BuildKit's default (gzip); no option is passed.</summary>
    Default,

    /// <summary>gzip, forced on every layer (<c>compression=gzip,force-compression=true</c>).</summary>
    Gzip,

    /// <summary>
    /// zstd, forced on every layer: several times faster to compress than gzip and pullable by containerd
    /// 1.5+ and Docker 23+ (with the containerd image store or a registry pull), not by older clients.
    /// docs/performance.md has the measured rebuild times.
    /// </summary>
    Zstd,
}

/// <summary>Who clamps the file times in the layers a reproducible build adds to <c>SOURCE_DATE_EPOCH</c>.</summary>
public enum TimestampRewriter
{
    /// <summary>BuildKit's <c>rewrite-timestamp</c>: every added layer, cached or not, on every export.</summary>
    BuildKit,

    /// <summary>
    /// The SDK's <see cref="LayerRetimer"/>, once per new layer, for a reproducible push from the layout folder, load
    /// or OCI archive with gzip layers (a Docker archive, zstd and a push through the engine keep BuildKit's). Digests
    /// differ from BuildKit's rewrite of the same image.
    /// </summary>
    Sdk,
}

/// <summary>Everything one <c>docker buildx build</c> needs. Secret VALUES are never here: only where to read them.</summary>
public sealed record BuildRequest
{
    /// <summary>The build context folder.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The Dockerfile.</summary>
    public required string DockerfilePath { get; init; }

    /// <summary>Full image references to tag (and push).</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Target platforms.</summary>
    public required IReadOnlyList<Platform> Platforms { get; init; }

    /// <summary>Where the image goes.</summary>
    public OutputMode Output { get; init; } = OutputMode.Push;

    /// <summary>The archive path for the archive output modes.</summary>
    public string? ArchivePath { get; init; }

    /// <summary>Secrets, passed as <c>--secret id=..,env=..</c> or <c>src=..</c>, once each.</summary>
    public IReadOnlyList<Secret> Secrets { get; init; } = [];

    /// <summary><c>--cache-from</c> values.</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary><c>--cache-to</c> values.</summary>
    public IReadOnlyList<string> CacheTo { get; init; } = [];

    /// <summary><c>--network</c> for RUN steps (e.g. <c>host</c>), or null.</summary>
    public string? Network { get; init; }

    /// <summary><c>--builder</c> (a named, possibly remote, BuildKit builder), or null for the default.</summary>
    public string? Builder { get; init; }

    /// <summary>Extra arguments appended as they are.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary><c>--build-arg</c> values.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>--metadata-file</c> buildx writes the digest to.</summary>
    public required string MetadataFile { get; init; }

    /// <summary>Whether provenance attestations are added (off: they add unknown/unknown index entries).</summary>
    public bool Provenance { get; init; }

    /// <summary>
    /// The <see cref="SourceDateEpoch"/> every request starts with: 0 (1970-01-01T00:00:00Z). A constant,
    /// not the commit time or the build time, so the digest depends on the declared inputs only, and a
    /// RUN step that reads <c>SOURCE_DATE_EPOCH</c> keeps its cache key from one build to the next.
    /// </summary>
    public const long DefaultSourceDateEpoch = 0;

    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c> for reproducible timestamps (image config, history and, through
    /// <c>rewrite-timestamp</c>, the files in the layers this build adds); <see cref="DefaultSourceDateEpoch"/>
    /// unless set. Null turns reproducible timestamps off: the image records when it was built.
    /// </summary>
    public long? SourceDateEpoch { get; init; } = DefaultSourceDateEpoch;

    /// <summary>
    /// With <see cref="SourceDateEpoch"/>, ask the push/load exporter itself to rewrite the timestamps of the
    /// files in the layers (<c>rewrite-timestamp=true</c> on <c>type=image,push=true</c> / <c>type=docker</c>).
    /// Off by default: the engine's built-in <c>docker</c> builder refuses it ("conflicts with unpack");
    /// BuildKit 0.13+ builders (docker-container, remote) accept it, and then nothing is staged
    /// (see <see cref="StageThroughOciArchive"/>). Archive outputs always rewrite timestamps when
    /// <see cref="SourceDateEpoch"/> is set (an OCI archive through the SDK when <see cref="RetimesInSdk"/>, unless this is set).
    /// </summary>
    public bool RewriteTimestamp { get; init; }

    /// <summary>The layer compression for the image and archive outputs (default: BuildKit's, gzip).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Default;

    /// <summary>
    /// With <see cref="SourceDateEpoch"/> and without <see cref="RewriteTimestamp"/>, make push and load
    /// reproducible on any builder: buildx writes an OCI archive with rewritten timestamps to
    /// <see cref="StagingArchivePath"/>, <c>docker load</c> imports it under the tags and, for
    /// <see cref="OutputMode.Push"/>, <c>docker push</c> sends each tag. On by default. Turn it off for a
    /// remote builder that cannot rewrite timestamps, where streaming the archive back costs more than a
    /// reproducible digest is worth.
    /// </summary>
    public bool StageThroughOciArchive { get; init; } = true;

    /// <summary>
    /// With <see cref="UsesStagingArchive"/>, stream the staged OCI archive from buildx's standard output
    /// straight into <c>docker load</c>'s standard input (<c>dest=-</c>) instead of writing it to
    /// <see cref="StagingArchivePath"/> first. On by default: the same bytes reach the engine, but the image
    /// is never written to disk and read back, and the engine imports it while BuildKit is still sending it
    /// (for a 1 GiB image the file and its load were ~45 s of a one-file rebuild; docs/performance.md).
    /// Off: the archive file, then <c>docker load --input</c> (e.g. to keep the load step separate in logs).
    /// </summary>
    public bool StreamStagingArchive { get; init; } = true;

    /// <summary>Where the staged OCI archive is written when it is not streamed: beside the metadata file, deleted after the load.</summary>
    public string StagingArchivePath => MetadataFile + ".oci.tar";

    /// <summary>True when the staged archive goes through a pipe into <c>docker load</c> rather than <see cref="StagingArchivePath"/> (never when buildx writes <see cref="OciLayoutPath"/>).</summary>
    public bool StreamsStagingArchive => UsesStagingArchive && StreamStagingArchive && !BuildsLayoutFolder;

    /// <summary>
    /// For a staged <see cref="OutputMode.Push"/>, send the image through the Docker engine as before
    /// (<c>docker load</c>, then <c>docker push</c> per tag) instead of from <see cref="OciLayoutPath"/> straight to
    /// the registry. Off by default; turn it on for a registry only the engine can reach (its daemon.json
    /// mirrors, insecure registries or proxy). Off, the pushed image is not loaded into the engine.
    /// </summary>
    public bool PushThroughEngine { get; init; }

    /// <summary>
    /// The OCI image layout folder a staged push (or an SDK re-timed load or OCI archive) builds into (<c>oci-layout</c>
    /// beside the metadata file), kept between builds: buildx skips the blobs it already holds, and after a publish only
    /// this image's blobs (and the plain tars its re-timed layers came from) remain.
    /// </summary>
    public string OciLayoutPath => Path.Combine(Path.GetDirectoryName(MetadataFile) ?? "", "oci-layout");

    /// <summary>True when a staged push goes from <see cref="OciLayoutPath"/> to the registry over HTTP (no <c>docker load</c>/<c>docker push</c>).</summary>
    public bool PushesLayoutFolder => UsesStagingArchive && Output == OutputMode.Push && !PushThroughEngine;

    /// <summary>
    /// Who clamps file times in the added layers (see <see cref="TimestampRewriter"/>): the SDK unless set. It applies
    /// to a <see cref="PushesLayoutFolder"/> push, a staged load and a reproducible OCI archive, with gzip layers
    /// (<see cref="RetimesInSdk"/>); every other output uses BuildKit's <c>rewrite-timestamp</c>.
    /// </summary>
    public TimestampRewriter TimestampRewrite { get; init; } = TimestampRewriter.Sdk;

    /// <summary>
    /// The Dockerfile with linked chunks (<see cref="Dockerfile.DockerfileWriter.WriteLinked"/>), or null: used instead
    /// of <see cref="DockerfilePath"/> when <see cref="RetimesInSdk"/>, since only then are the linked layers rewritten.
    /// </summary>
    public string? LinkedDockerfilePath { get; init; }

    /// <summary>The chunks <see cref="LinkedDockerfilePath"/> copies with <c>COPY --link</c>.</summary>
    public IReadOnlyList<LinkedChunk> LinkedChunks { get; init; } = [];

    /// <summary>True when the build uses <see cref="LinkedDockerfilePath"/>.</summary>
    public bool UsesLinkedDockerfile => RetimesInSdk && LinkedDockerfilePath is not null && LinkedChunks.Count > 0;

    /// <summary>The Dockerfile buildx reads: <see cref="LinkedDockerfilePath"/> when <see cref="UsesLinkedDockerfile"/>, else <see cref="DockerfilePath"/>.</summary>
    public string BuildDockerfilePath => UsesLinkedDockerfile ? LinkedDockerfilePath! : DockerfilePath;

    /// <summary>
    /// True when buildx exports the layout folder without <c>rewrite-timestamp</c> and uncompressed, and the SDK
    /// re-times and gzips the new layers: <see cref="TimestampRewriter.Sdk"/>, not zstd, and a <see cref="PushesLayoutFolder"/>
    /// push, a staged load (<see cref="UsesStagingArchive"/>: the SDK streams the re-timed layout into <c>docker load</c>)
    /// or a reproducible OCI archive (the SDK writes <see cref="ArchivePath"/> from the re-timed layout).
    /// </summary>
    public bool RetimesInSdk => TimestampRewrite == TimestampRewriter.Sdk && Compression != LayerCompression.Zstd && Output switch
    {
        OutputMode.Push => PushesLayoutFolder,
        OutputMode.Load => UsesStagingArchive,
        OutputMode.OciArchive => SourceDateEpoch is not null && !RewriteTimestamp,
        _ => false,
    };

    /// <summary>True when buildx writes <see cref="OciLayoutPath"/>: a <see cref="PushesLayoutFolder"/> push, or any <see cref="RetimesInSdk"/> build.</summary>
    public bool BuildsLayoutFolder => PushesLayoutFolder || RetimesInSdk;

    /// <summary>Registry settings (timeouts, retries, insecure registries, docker config) for a <see cref="PushesLayoutFolder"/> push.</summary>
    public RegistryOptions Registry { get; init; } = new();

    /// <summary>True when this request's push or load goes through the staged OCI archive (see <see cref="StageThroughOciArchive"/>).</summary>
    public bool UsesStagingArchive
        => Output is OutputMode.Push or OutputMode.Load && SourceDateEpoch is not null && !RewriteTimestamp && StageThroughOciArchive;

    /// <summary>A name for messages: the first tag, else the context folder.</summary>
    public string DisplayName => Tags.Count > 0 ? Tags[0] : ContextDirectory;
}

/// <summary>The outcome of a build.</summary>
/// <param name="ExitCode">buildx's exit code.</param>
/// <param name="Digest">The image (or index) digest from the metadata file, when it succeeded.</param>
/// <param name="LastLines">The last lines of output, for an error message.</param>
public sealed record BuildResult(int ExitCode, string? Digest, IReadOnlyList<string> LastLines)
{
    /// <summary>True when buildx exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The docker command that failed (build, load or push); <see cref="BuildStep.Build"/> when it succeeded.</summary>
    public BuildStep FailedStep { get; init; } = BuildStep.Build;

    /// <summary>
    /// True when the failed command ended without reporting an error, i.e. it was killed or crashed: a
    /// signal (.NET reports 128 + the signal number), or 255, which the docker CLI returns when its buildx
    /// plugin dies by a signal. A command that fails on its own says so ("ERROR: ..." or "error ...").
    /// </summary>
    public bool EndedUnexpectedly
        => ExitCode is 255 or (> 128 and <= 128 + 64)
           && !LastLines.Any(l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Why a push from the layout folder failed (CIMG3110-CIMG3112: the registry, repository and HTTP status), when
    /// it did; <see cref="FailedStep"/> is then <see cref="BuildStep.Push"/>. Also why the layout of a load or OCI
    /// archive re-timed by the SDK could not be re-timed, written or sent (CIMG3110; <see cref="BuildStep.Load"/> or
    /// <see cref="BuildStep.Build"/>).
    /// </summary>
    public ImageDefinitionException? PushFailure { get; init; }

    /// <summary>Throws <see cref="PushFailure"/>, or CIMG3002 (with the last lines of output), unless the build succeeded.</summary>
    public BuildResult EnsureSuccess(string imageName)
        => Succeeded
            ? this
            : throw PushFailure ?? new ImageDefinitionException(DiagnosticCodes.BuildFailed, imageName, ExitCode,
                Environment.NewLine + string.Join(Environment.NewLine, LastLines));
}

/// <summary>The docker commands of a publish, in the order they run.</summary>
public enum BuildStep
{
    /// <summary><c>docker buildx build</c>.</summary>
    Build,

    /// <summary><c>docker load</c> of the staged OCI archive.</summary>
    Load,

    /// <summary><c>docker push</c> of a tag, or the push from the layout folder to the registry.</summary>
    Push,
}
