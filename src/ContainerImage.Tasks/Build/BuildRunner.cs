using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Build;

/// <summary>
/// Runs <c>docker buildx build</c> for a <see cref="BuildRequest"/>: no shell (an argument list), the
/// process environment passed through (so <c>--secret env=</c> and <c>DOCKER_HOST</c> work), every
/// output line streamed as it arrives, cancellation that kills buildx and its children, and the
/// digest read back from the metadata file.
/// </summary>
public sealed partial class BuildRunner
{
    /// <summary>How many output lines a failed build keeps for its error message.</summary>
    public const int TailLength = 20;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private bool _buildxChecked;

    /// <summary>A runner for the docker CLI at <paramref name="dockerCommand"/>.</summary>
    public BuildRunner(string dockerCommand = "docker") => DockerCommand = dockerCommand;

    /// <summary>The docker CLI.</summary>
    public string DockerCommand { get; }

    /// <summary>
    /// Runs the build, streaming each output line (secret values masked) to <paramref name="onOutputLine"/>.
    /// A non-zero exit is returned (see <see cref="BuildResult.EnsureSuccess"/>); these throw a coded
    /// <see cref="ImageDefinitionException"/>: docker missing (CIMG3001), buildx missing (CIMG3005),
    /// cancelled (CIMG3003, buildx killed), a secret source absent (CIMG4003), and a push or load that
    /// succeeded without a digest (CIMG3004). A staged push (<see cref="BuildRequest.PushesLayoutFolder"/>) builds
    /// into the OCI layout folder and pushes it to the registry over HTTP: a refused push is this result's failure
    /// (<see cref="BuildResult.PushFailure"/>), and the digest is the layout's. A staged load (or a push through the
    /// engine) runs <c>docker load</c> and <c>docker push</c> per tag; their failure is this result's failure, and the
    /// digest is the one <c>docker push</c> reported. A load or OCI archive re-timed by the SDK
    /// (<see cref="BuildRequest.RetimesInSdk"/>) builds into the layout folder too, then writes the archive or streams
    /// it into <c>docker load</c>; its digest is the re-timed layout's, the one the push of the same image reports.
    /// </summary>
    public async Task<BuildResult> RunAsync(BuildRequest request, Action<string> onOutputLine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onOutputLine);
        var arguments = BuildxArguments.Create(request);
        RequireSecretSources(request.Secrets);
        await EnsureBuildxAsync(cancellationToken);
        PrepareMetadataFile(request.MetadataFile);

        var redactor = SecretRedactor.For(request.Secrets);
        var tail = new OutputTail(TailLength);
        var gate = new object();
        Exception? callbackFailure = null;
        void Emit(string line)
        {
            var safe = redactor.Redact(line);
            lock (gate)
            {
                tail.Add(safe);
                try
                {
                    onOutputLine(safe);
                }
                catch (Exception e)
                {
                    // Keep draining the pipes, or buildx blocks on a full one; report the first after it exits.
                    callbackFailure ??= e;
                }
            }
        }

        string? pushedDigest = null;
        ImageDefinitionException? pushFailure = null;
        int exitCode;
        var step = BuildStep.Build;
        try
        {
            if (request.BuildsLayoutFolder)
            {
                // An archive of an earlier build must not outlive a failed one.
                if (request.Output == OutputMode.OciArchive) TryDelete(request.ArchivePath!);
                PrepareLayoutFolder(request.OciLayoutPath);
                exitCode = await RunDockerAsync(arguments, request.SourceDateEpoch, Emit, cancellationToken);
                if (exitCode == 0 && request.Output == OutputMode.Push)
                {
                    step = BuildStep.Push;
                    (pushedDigest, pushFailure) = await PushLayoutFolderAsync(request, Emit, cancellationToken);
                    if (pushFailure is not null) exitCode = PushFailedExitCode;
                }
                else if (exitCode == 0)
                {
                    (exitCode, pushedDigest, step, pushFailure) = await ExportRetimedLayoutAsync(request, Emit, cancellationToken);
                }
            }
            else if (request.StreamsStagingArchive)
            {
                (exitCode, step) = await BuildIntoLoadAsync(arguments, request.SourceDateEpoch, Emit, cancellationToken);
                if (exitCode == 0 && request.Output == OutputMode.Push)
                {
                    (exitCode, pushedDigest, step) = await PushTagsAsync(request, Emit, cancellationToken);
                }
            }
            else
            {
                exitCode = await RunDockerAsync(arguments, request.SourceDateEpoch, Emit, cancellationToken);
                if (exitCode == 0 && request.UsesStagingArchive)
                {
                    (exitCode, pushedDigest, step) = await PublishStagedArchiveAsync(request, Emit, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            TryDelete(request.MetadataFile);
            throw new ImageDefinitionException(DiagnosticCodes.BuildCancelled, request.DisplayName);
        }
        finally
        {
            // The staged archive is a full copy of the image: never leave it behind.
            if (request.UsesStagingArchive && !request.StreamsStagingArchive) TryDelete(request.StagingArchivePath);
        }
        if (callbackFailure is not null) throw new InvalidOperationException("The output callback failed.", callbackFailure);

        var lines = tail.Lines;
        if (exitCode != 0)
        {
            // A failed build must not leave a digest that makes the next step think it was pushed.
            TryDelete(request.MetadataFile);
            return new BuildResult(exitCode, null, lines) { FailedStep = step, PushFailure = pushFailure };
        }
        // docker push reports what the registry stored; with the containerd image store it is the archive's digest. The
        // SDK's re-timing changes the image after buildx wrote the metadata file: then the re-timed layout's digest.
        var digest = pushedDigest ?? BuildMetadata.ReadDigest(request.MetadataFile);
        if (digest is null && request.Output is OutputMode.Push or OutputMode.Load)
        {
            throw new ImageDefinitionException(DiagnosticCodes.BuildMetadataMissing, request.DisplayName, request.MetadataFile);
        }
        return new BuildResult(0, digest, lines);
    }

    /// <summary>
    /// Runs docker with <paramref name="arguments"/>, streaming both pipes line by line to
    /// <paramref name="emit"/>; on cancellation kills it and its children, then rethrows.
    /// </summary>
    private async Task<int> RunDockerAsync(IReadOnlyList<string> arguments, long? sourceDateEpoch, Action<string> emit, CancellationToken cancellationToken)
    {
        using var process = StartDocker(DockerStartInfo(arguments, sourceDateEpoch));
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, emit), PumpAsync(process.StandardError, emit));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            StopTree(process);
            throw;
        }
        await pumps;
        return process.ExitCode;
    }

    /// <summary>How docker is started: no shell, both output pipes redirected, SOURCE_DATE_EPOCH in its environment when set.</summary>
    private ProcessStartInfo DockerStartInfo(IReadOnlyList<string> arguments, long? sourceDateEpoch)
    {
        var start = new ProcessStartInfo(DockerCommand)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (sourceDateEpoch is { } epoch)
        {
            // BuildKit reads SOURCE_DATE_EPOCH from the client's environment as well as the build arg.
            start.Environment[BuildxArguments.SourceDateEpochName] = epoch.ToString(CultureInfo.InvariantCulture);
        }
        return start;
    }

    /// <summary>Checks once per runner that <c>docker buildx</c> answers (CIMG3001 / CIMG3005 otherwise).</summary>
    public async Task EnsureBuildxAsync(CancellationToken cancellationToken = default)
    {
        if (_buildxChecked) return;
        CapturedProcess.Outcome outcome;
        try
        {
            outcome = await CapturedProcess.RunAsync(DockerCommand, ["buildx", "version"], ProbeTimeout, cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw new ImageDefinitionException(DiagnosticCodes.DockerNotFound, DockerCommand, e.Message);
        }
        if (outcome.ExitCode != 0)
        {
            var reason = DockerEngine.FirstLine(outcome.Output);
            throw new ImageDefinitionException(DiagnosticCodes.BuildxNotAvailable,
                reason.Length > 0 ? reason : $"'{DockerCommand} buildx version' exited with {outcome.ExitCode}");
        }
        _buildxChecked = true;
    }

    private Process StartDocker(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new ImageDefinitionException(DiagnosticCodes.DockerNotFound, DockerCommand, e.Message);
        }
    }

    private static void RequireSecretSources(IReadOnlyList<Secret> secrets)
    {
        foreach (var secret in BuildxArguments.DistinctSecrets(secrets))
        {
            if (!secret.IsAvailable())
            {
                var source = secret.SourceKind == SecretSourceKind.File
                    ? $"the file '{secret.Source}'"
                    : $"the environment variable '{secret.Source}'";
                throw new ImageDefinitionException(DiagnosticCodes.SecretSourceMissing, secret.Id, source);
            }
        }
    }

    /// <summary>Removes an old metadata file, so a digest found after the build is this build's.</summary>
    private static void PrepareMetadataFile(string metadataFile)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(metadataFile));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        TryDelete(metadataFile);
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> emit)
    {
        while (await reader.ReadLineAsync() is { } line) emit(line);
    }

    private static void StopTree(Process process)
    {
        try
        {
            // docker runs buildx as a child plugin process: killing only docker would leave the build running.
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It exited between the cancellation and the kill.
        }
        catch (Win32Exception)
        {
            // Same race, reported by the OS.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Missing or busy: either way it holds no digest of this build.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
