using System.Globalization;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Build;

/// <summary>
/// Turns a <see cref="BuildRequest"/> into the arguments of <c>docker buildx build</c>. Pure: no
/// files, no processes, so every option is unit-tested. The list goes to
/// <c>ProcessStartInfo.ArgumentList</c>, never through a shell.
/// </summary>
public static class BuildxArguments
{
    /// <summary>The name of the build argument and environment variable for reproducible timestamps.</summary>
    public const string SourceDateEpochName = "SOURCE_DATE_EPOCH";

    /// <summary>
    /// The arguments after <c>docker</c>: <c>buildx build ... &lt;context&gt;</c>. Throws CIMG3010 (an
    /// archive mode without a path), CIMG3011 (push/load without a tag) and CIMG2025 (one secret id
    /// with two sources).
    /// </summary>
    public static IReadOnlyList<string> Create(BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = new List<string> { "buildx", "build" };
        if (!string.IsNullOrEmpty(request.Builder)) args.AddRange(["--builder", request.Builder]);
        args.AddRange(["--file", request.BuildDockerfilePath]);
        foreach (var tag in request.Tags) args.AddRange(["--tag", tag]);
        if (request.Platforms.Count > 0)
        {
            args.AddRange(["--platform", string.Join(',', request.Platforms.Select(p => p.ToString()).Distinct())]);
        }
        args.AddRange(OutputArguments(request));
        foreach (var secret in DistinctSecrets(request.Secrets)) args.AddRange(["--secret", SecretValue(secret)]);
        foreach (var cache in request.CacheFrom) args.AddRange(["--cache-from", cache]);
        foreach (var cache in request.CacheTo) args.AddRange(["--cache-to", cache]);
        if (!string.IsNullOrEmpty(request.Network)) args.AddRange(["--network", request.Network]);
        // Sorted, so the same request always gives the same command line.
        foreach (var (name, value) in request.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            args.AddRange(["--build-arg", name + "=" + value]);
        }
        if (request.SourceDateEpoch is { } epoch && !request.BuildArgs.ContainsKey(SourceDateEpochName))
        {
            args.AddRange(["--build-arg", SourceDateEpochName + "=" + epoch.ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["--metadata-file", request.MetadataFile]);
        // Provenance adds unknown/unknown entries to the index and, on the docker driver, a second manifest.
        if (!request.Provenance) args.Add("--provenance=false");
        args.Add("--progress=plain");
        args.AddRange(request.ExtraArgs);
        args.Add(request.ContextDirectory);
        return args;
    }

    private static IEnumerable<string> OutputArguments(BuildRequest request)
    {
        var rewrite = request.SourceDateEpoch is not null;
        switch (request.Output)
        {
            case OutputMode.Push or OutputMode.Load or OutputMode.OciArchive when request.BuildsLayoutFolder:
                // A folder, not a tar: kept between builds, so buildx skips the blobs it already holds; BuildRunner then
                // pushes it, streams it into docker load or writes the archive from it. The names become index.json's
                // annotations (docker load tags the image from them). Re-timed by the SDK: no rewrite and no forced
                // compression, so base layers keep their blobs and new layers come out as plain tar, which LayerRetimer
                // clamps and gzips once each (docs/reproducibility.md); else BuildKit rewrites them on export.
                if (request.Output == OutputMode.OciArchive) RequireArchivePath("oci", request);
                else RequireTag(request);
                string[] names = request.Tags.Count > 0 ? ["name=" + string.Join(',', request.Tags)] : [];
                return ["--output", CommaSeparatedValue.Join(request.RetimesInSdk
                    ? ["type=oci", "tar=false", "dest=" + request.OciLayoutPath, .. names, "compression=uncompressed"]
                    : ["type=oci", "tar=false", "dest=" + request.OciLayoutPath, "rewrite-timestamp=true", .. names,
                        .. CompressionFields(request.Compression)])];
            case OutputMode.Push or OutputMode.Load when request.UsesStagingArchive:
                // The built-in builder refuses rewrite-timestamp for images it unpacks; an OCI archive it
                // rewrites, and docker load/push keep its digest. The names let docker load tag it.
                RequireTag(request);
                return ["--output", CommaSeparatedValue.Join([
                    // "dest=-": buildx writes the archive to its standard output, which BuildRunner pipes into docker load.
                    "type=oci", "dest=" + (request.StreamStagingArchive ? "-" : request.StagingArchivePath), "rewrite-timestamp=true",
                    "name=" + string.Join(',', request.Tags),
                    .. CompressionFields(request.Compression)])];
            case OutputMode.Push:
                RequireTag(request);
                return WithCompression(request, rewrite && request.RewriteTimestamp, ["type=image", "push=true"], "--push");
            case OutputMode.Load:
                RequireTag(request);
                return WithCompression(request, rewrite && request.RewriteTimestamp, ["type=docker"], "--load");
            case OutputMode.OciArchive:
                return ["--output", ArchiveOutput("oci", request, rewrite)];
            case OutputMode.DockerArchive:
                return ["--output", ArchiveOutput("docker", request, rewrite)];
            default:
                // Explicit, so buildx neither warns "no output specified" nor guesses.
                return ["--output", "type=cacheonly"];
        }
    }

    private static string ArchiveOutput(string type, BuildRequest request, bool rewrite)
    {
        RequireArchivePath(type, request);
        var fields = new List<string> { "type=" + type, "dest=" + request.ArchivePath };
        if (rewrite) fields.Add("rewrite-timestamp=true");
        fields.AddRange(CompressionFields(request.Compression));
        return CommaSeparatedValue.Join([.. fields]);
    }

    // The short flag (--push/--load) when nothing is added to the output; else the full --output value.
    private static string[] WithCompression(BuildRequest request, bool rewrite, string[] fields, string shortFlag)
    {
        var compression = CompressionFields(request.Compression);
        if (!rewrite && compression.Length == 0) return [shortFlag];
        string[] all = [.. fields, .. rewrite ? ["rewrite-timestamp=true"] : Array.Empty<string>(), .. compression];
        return ["--output", CommaSeparatedValue.Join(all)];
    }

    // force-compression: layers BuildKit already holds compressed otherwise (the base image's, cached ones)
    // keep their old compression, and one image would mix both.
    private static string[] CompressionFields(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => ["compression=gzip", "force-compression=true"],
        LayerCompression.Zstd => ["compression=zstd", "force-compression=true"],
        _ => [],
    };

    private static void RequireArchivePath(string type, BuildRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.ArchivePath))
        {
            throw new ImageDefinitionException(DiagnosticCodes.BuildArchivePathMissing, type, request.DisplayName);
        }
    }

    private static void RequireTag(BuildRequest request)
    {
        if (request.Tags.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.BuildTagMissing, request.ContextDirectory);
    }

    /// <summary>
    /// One secret per id: several layers may mount the same secret, and buildx rejects a repeated id.
    /// The same id read from two different places is a contradiction, refused with CIMG2025.
    /// </summary>
    internal static IReadOnlyList<Secret> DistinctSecrets(IReadOnlyList<Secret> secrets)
    {
        var byId = new Dictionary<string, Secret>(StringComparer.Ordinal);
        var ordered = new List<Secret>();
        foreach (var secret in secrets)
        {
            if (byId.TryGetValue(secret.Id, out var first))
            {
                if (first.SourceKind != secret.SourceKind || first.Source != secret.Source)
                {
                    throw new ImageDefinitionException(DiagnosticCodes.ConflictingSecret, secret.Id);
                }
                continue;
            }
            byId[secret.Id] = secret;
            ordered.Add(secret);
        }
        return ordered;
    }

    private static string SecretValue(Secret secret)
        => secret.SourceKind == SecretSourceKind.File
            ? CommaSeparatedValue.Join("id=" + secret.Id, "src=" + secret.Source)
            : CommaSeparatedValue.Join("id=" + secret.Id, "env=" + secret.Source);
}
