using System.Globalization;
using System.Text.Json;
using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerImage.Tasks;

/// <summary>
/// Publishes the image GenerateImageDefinition described (<c>image.json</c>): with ImageDryRun, prints
/// the Dockerfile and URI; otherwise asks the registry whether the image already exists (skips when it
/// does, unless ImageForceBuild), else runs <c>docker buildx build</c> with its output streamed to the
/// log. Ctrl+C cancels buildx. Results: one <see cref="PublishedImage"/> item per image and a
/// <c>publish.json</c> beside each <c>image.json</c>. Images are published in the given order (the
/// project's image first, then its clones).
/// </summary>
public sealed class PublishImage : ImageTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The image.json files GenerateImageDefinition wrote, one per image. Beside each, publish.json
    /// is written after a successful publish (or skip) and deleted before building.</summary>
    [Required]
    public string[] DefinitionFiles { get; set; } = [];

    /// <summary>$(ImageOutput): push, load, oci, docker or none.</summary>
    public string? ImageOutput { get; set; }

    /// <summary>$(ImageArchivePath), for oci and docker outputs.</summary>
    public string? ImageArchivePath { get; set; }

    /// <summary>$(ImageCacheFrom), a ';' list.</summary>
    public string? ImageCacheFrom { get; set; }

    /// <summary>$(ImageCacheTo), a ';' list.</summary>
    public string? ImageCacheTo { get; set; }

    /// <summary>$(ImageNetwork).</summary>
    public string? ImageNetwork { get; set; }

    /// <summary>$(ImageBuilder).</summary>
    public string? ImageBuilder { get; set; }

    /// <summary>$(ImageBuildxArgs), a ';' list of extra arguments.</summary>
    public string? ImageBuildxArgs { get; set; }

    /// <summary>$(ImageDockerCommand).</summary>
    public string? ImageDockerCommand { get; set; }

    /// <summary>$(ImageForceBuild).</summary>
    public string? ImageForceBuild { get; set; }

    /// <summary>$(ImageReproducible): fixed timestamps (staged through an OCI archive for push/load); default true.</summary>
    public string? ImageReproducible { get; set; }

    /// <summary>$(ImageSourceDateEpoch): the SOURCE_DATE_EPOCH of reproducible builds; default 0.</summary>
    public string? ImageSourceDateEpoch { get; set; }

    /// <summary>$(ImageDryRun).</summary>
    public string? ImageDryRun { get; set; }

    /// <summary>$(ImageInsecureRegistries), a ';' list of host[:port].</summary>
    public string? ImageInsecureRegistries { get; set; }

    /// <summary>$(ImageRegistryTimeout), seconds.</summary>
    public string? ImageRegistryTimeout { get; set; }

    /// <summary>$(ImageRegistryRetries).</summary>
    public string? ImageRegistryRetries { get; set; }

    /// <summary>$(ImageLayerCompression): Default (buildx's own, gzip), Gzip or Zstd, for every layer of the image.</summary>
    public string? ImageLayerCompression { get; set; }

    /// <summary>$(ImageTimestampRewrite): Sdk (default: the SDK re-times each new layer once, for a reproducible push, load or OCI archive with gzip layers) or BuildKit.</summary>
    public string? ImageTimestampRewrite { get; set; }

    /// <summary>$(ImagePushThroughEngine): a reproducible push goes through docker load and docker push (for a registry only the engine can reach); default false.</summary>
    public string? ImagePushThroughEngine { get; set; }

    /// <summary>The results: item spec = URI; metadata Uri, Identifier, Digest, Skipped.</summary>
    [Output]
    public ITaskItem[] PublishedImage { get; private set; } = [];

    /// <inheritdoc/>
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var timer = new TaskTimer(Log, nameof(PublishImage));
        var settings = ReadSettings();
        var published = new List<ITaskItem>();
        foreach (var definitionFile in DefinitionFiles)
        {
            published.Add(Publish(definitionFile, settings, timer));
            PublishedImage = [.. published];
        }
        return true;
    }

    private ITaskItem Publish(string definitionFile, PublishSettings settings, TaskTimer timer)
    {
        ImageDefinitionRecord definition;
        try
        {
            definition = ImageDefinitionRecord.Read(definitionFile);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.ImageDefinitionMissing, definitionFile, e.Message);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(definitionFile))!;
        timer.Mark("read image.json");
        var resultFile = Path.Combine(directory, "publish.json");
        // Nothing from an earlier run may vouch for this one until it succeeds.
        OutputFiles.Delete(resultFile);
        ChangeReport.Explain(directory, definition.Uri, Log);
        timer.Mark("explain changes");

        if (settings.DryRun)
        {
            Log.LogMessage(MessageImportance.High, $"Dry run: {definition.Uri} would be built from {definition.DockerfilePath}:");
            Log.LogMessage(MessageImportance.High, File.ReadAllText(definition.DockerfilePath));
            Log.LogMessage(MessageImportance.High, $"ImageUri: {definition.Uri}");
            return Finish(definition, resultFile, digest: null, skipped: true, published: false);
        }

        var platforms = definition.Platforms.Select(Platform.Parse).ToList();
        if (settings.Output == OutputMode.Push && !settings.ForceBuild)
        {
            var existing = CheckRegistry(definition, platforms, settings);
            timer.Mark("registry check");
            if (existing.State == ExistenceState.Exists)
            {
                Log.LogMessage(MessageImportance.High, $"{definition.Uri} is up to date in its registry ({existing.Digest}); not building.");
                var skipped = Finish(definition, resultFile, existing.Digest, skipped: true);
                timer.Mark("write publish.json");
                return skipped;
            }
        }

        BasePlatformCheck.Require(definition.BaseImage, definition.Uri, platforms, RegistryOptionsFor(settings),
            message => Log.LogMessage(MessageImportance.Normal, message), _cancellation.Token);

        var metadataFile = Path.Combine(directory, "buildx-metadata.json");
        OutputFiles.Delete(metadataFile);
        var reproducible = string.IsNullOrWhiteSpace(ImageReproducible) || ParseBool("ImageReproducible", ImageReproducible);
        var request = new BuildRequest
        {
            ContextDirectory = definition.ContextDirectory,
            DockerfilePath = definition.DockerfilePath,
            Tags = [definition.Uri],
            Platforms = platforms,
            Output = settings.Output,
            ArchivePath = settings.ArchivePath,
            Secrets = definition.Secrets.Select(s => s.ToSecret()).ToList(),
            CacheFrom = ImageItemMapper.Split(ImageCacheFrom).ToList(),
            CacheTo = ImageItemMapper.Split(ImageCacheTo).ToList(),
            Network = string.IsNullOrWhiteSpace(ImageNetwork) ? null : ImageNetwork.Trim(),
            Builder = string.IsNullOrWhiteSpace(ImageBuilder) ? null : ImageBuilder.Trim(),
            ExtraArgs = ImageItemMapper.Split(ImageBuildxArgs).ToList(),
            MetadataFile = metadataFile,
            SourceDateEpoch = reproducible ? (long)ParseNumber("ImageSourceDateEpoch", ImageSourceDateEpoch, BuildRequest.DefaultSourceDateEpoch, 0, 253402300799) : null,
            StageThroughOciArchive = reproducible,
            Compression = settings.Compression,
            PushThroughEngine = settings.PushThroughEngine,
            Registry = RegistryOptionsFor(settings),
            TimestampRewrite = settings.TimestampRewrite,
            LinkedDockerfilePath = definition.LinkedDockerfilePath,
            LinkedChunks = definition.LinkedChunks ?? [],
        };
        Log.LogMessage(MessageImportance.High, $"Building {definition.Uri} for {string.Join(", ", definition.Platforms)}.");
        var runner = new BuildRunner(settings.DockerCommand);
        BuildResult result;
        try
        {
            result = runner.RunAsync(request, line => Log.LogMessage(MessageImportance.Normal, line), _cancellation.Token)
                .GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.BuildCancelled, definition.Uri);
        }
        if (_cancellation.IsCancellationRequested) throw new ImageDefinitionException(DiagnosticCodes.BuildCancelled, definition.Uri);
        if (result.ExitCode != 0) throw PublishFailure.For(result, definition.Uri, definition.Registry, settings.DockerCommand, CancellationToken.None);
        Log.LogMessage(MessageImportance.High, $"Published {definition.Uri}{(result.Digest is null ? "" : " (" + result.Digest + ")")}.");
        return Finish(definition, resultFile, result.Digest, skipped: false);
    }

    private ExistenceResult CheckRegistry(ImageDefinitionRecord definition, IReadOnlyList<Platform> platforms, PublishSettings settings)
    {
        var options = RegistryOptionsFor(settings);
        ExistenceResult? prefetched;
        try
        {
            // Started early by StartImageRegistryCheck for the last definition's URI; used only for this very URI, these
            // platforms and options, and only when definite: otherwise the check below runs as always.
            prefetched = RegistryCheckPrefetch.TryTake(RegistryCheckPrefetch.KeyOf(definition.Uri, platforms, options), _cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            prefetched = null;
        }
        if (prefetched is not null) Log.LogMessage(MessageImportance.Low, $"Registry answer for {definition.Uri} from the check started early.");
        var result = prefetched ?? CheckNow(definition.Uri, platforms, options);
        if (result.State == ExistenceState.Unknown)
        {
            // Never assume it exists: say why the check failed, then build.
            var code = result.AuthenticationFailed ? DiagnosticCodes.RegistryAuthenticationFailed : DiagnosticCodes.RegistryCheckFailed;
            LogCoded(code, DiagnosticMessages.Format(code, definition.Registry ?? "", definition.Uri, result.Detail ?? "no detail"),
                new SourceLocation(ProjectFile, 0, 0), warning: true);
        }
        else if (result.State == ExistenceState.Missing)
        {
            Log.LogMessage(MessageImportance.Normal, $"{definition.Uri} is not in its registry yet ({result.Detail}).");
        }
        return result;
    }

    private ExistenceResult CheckNow(string uri, IReadOnlyList<Platform> platforms, RegistryOptions options)
    {
        using var client = new RegistryClient(options);
        return client.CheckAsync(uri, platforms, _cancellation.Token).GetAwaiter().GetResult();
    }

    private RegistryOptions RegistryOptionsFor(PublishSettings settings)
        => settings.Registry with { OnRetry = message => Log.LogMessage(MessageImportance.High, message) };

    private static ITaskItem Finish(ImageDefinitionRecord definition, string resultFile, string? digest, bool skipped, bool published = true)
    {
        // What the registry now holds is what the next publish is explained against (a dry run publishes nothing).
        if (published) ChangeReport.RememberPublished(Path.GetDirectoryName(resultFile)!);
        var item = new TaskItem(definition.Uri);
        item.SetMetadata("Uri", definition.Uri);
        item.SetMetadata("Identifier", definition.Identifier);
        item.SetMetadata("Digest", digest ?? "");
        item.SetMetadata("Skipped", skipped ? "true" : "false");
        var result = new PublishResultRecord(definition.Uri, definition.Identifier, digest, skipped, definition.Platforms);
        OutputFiles.WriteIfChanged(resultFile, JsonSerializer.Serialize(result, TaskJsonContext.Default.PublishResultRecord) + "\n");
        return item;
    }

    private sealed record PublishSettings(OutputMode Output, string? ArchivePath, bool DryRun, bool ForceBuild,
        string DockerCommand, RegistryOptions Registry, LayerCompression Compression, bool PushThroughEngine, TimestampRewriter TimestampRewrite);

    private PublishSettings ReadSettings()
    {
        var output = (ImageOutput ?? "").Trim().ToLowerInvariant() switch
        {
            "push" => OutputMode.Push,
            "" or "load" => OutputMode.Load,
            "oci" => OutputMode.OciArchive,
            "docker" => OutputMode.DockerArchive,
            "none" => OutputMode.None,
            _ => throw PropertyError("ImageOutput", ImageOutput, "use push, load, oci, docker or none"),
        };
        string? archive = null;
        if (output is OutputMode.OciArchive or OutputMode.DockerArchive)
        {
            if (string.IsNullOrWhiteSpace(ImageArchivePath))
            {
                throw new ItemMappingException(new ImageDefinitionException(DiagnosticCodes.ArchivePathRequired, ImageOutput!.Trim()), null, "ImageOutput");
            }
            archive = Path.GetFullPath(ImageArchivePath.Trim(), Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!);
        }
        var registry = RegistrySettings.Options(ImageRegistryTimeout, ImageRegistryRetries, ImageInsecureRegistries);
        var docker = string.IsNullOrWhiteSpace(ImageDockerCommand) ? "docker" : ImageDockerCommand.Trim();
        var compression = (ImageLayerCompression ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "default" => LayerCompression.Default,
            "gzip" => LayerCompression.Gzip,
            "zstd" => LayerCompression.Zstd,
            _ => throw PropertyError("ImageLayerCompression", ImageLayerCompression, "use Default, Gzip or Zstd"),
        };
        var timestampRewrite = (ImageTimestampRewrite ?? "").Trim().ToLowerInvariant() switch
        {
            "buildkit" => TimestampRewriter.BuildKit,
            "" or "sdk" => TimestampRewriter.Sdk,
            _ => throw PropertyError("ImageTimestampRewrite", ImageTimestampRewrite, "use BuildKit or Sdk"),
        };
        return new PublishSettings(output, archive, ParseBool("ImageDryRun", ImageDryRun), ParseBool("ImageForceBuild", ImageForceBuild),
            docker, registry, compression, ParseBool("ImagePushThroughEngine", ImagePushThroughEngine), timestampRewrite);
    }

    private static bool ParseBool(string name, string? value)
        => string.IsNullOrWhiteSpace(value) ? false
            : bool.TryParse(value.Trim(), out var result) ? result
            : throw PropertyError(name, value, "use 'true' or 'false'");

    private static double ParseNumber(string name, string? value, double defaultValue, double min, double max)
    {
        if (string.IsNullOrWhiteSpace(value)) return defaultValue;
        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max) return number;
        throw PropertyError(name, value, string.Create(CultureInfo.InvariantCulture, $"use a number from {min} to {max}"));
    }

    private static ItemMappingException PropertyError(string name, string? value, string reason)
        => new(new ImageDefinitionException(DiagnosticCodes.InvalidProperty, name, value, reason), null, name);
}
