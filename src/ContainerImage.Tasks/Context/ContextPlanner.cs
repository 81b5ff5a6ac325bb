using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Context;

/// <summary>
/// Computes an image's <see cref="ContextPlan"/> from the model and the disk, following the layout
/// conventions documented on <see cref="LayerContext"/>. Deterministic: folders are walked in ordinal
/// order and every file list is sorted by relative path (ordinal, case-sensitive).
/// </summary>
/// <remarks>
/// Ignore rules: every <see cref="DockerIgnoreLayer"/> of the image, wherever it sits in the layer list,
/// applies to every source folder and source file layer; the rules of all of them are concatenated in
/// declaration order (last match wins), each file's patterns matched relative to that file's folder.
/// Files outside a .dockerignore's folder are not affected by it. Requirements and uv project inputs are
/// installer inputs, not sources, and are never ignored.
/// </remarks>
public static class ContextPlanner
{
    /// <summary>Computes the plan: walks folders, applies ignore rules, follows requirement includes.</summary>
    public static ContextPlan Plan(Image image) => Plan(image, PythonInputs.Default);

    /// <summary>
    /// The plan, as <see cref="Plan(Image)"/>; with a cold <paramref name="hasher"/> (no per-file cache yet), the
    /// folders' files are hashed while the walk goes on, so that <see cref="Identity.ImageIdentifier"/> given the same
    /// hasher finds them hashed (the same hashes: only the time they are computed moves).
    /// </summary>
    public static ContextPlan Plan(Image image, FileHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        return Plan(image, PythonInputs.Default, hasher);
    }

    /// <summary>The plan, reading requirements includes and uv locks with <paramref name="python"/> (tests pass fakes).</summary>
    internal static ContextPlan Plan(Image image, PythonInputs python) => Plan(image, python, (FileHasher?)null);

    private static ContextPlan Plan(Image image, PythonInputs python, FileHasher? hasher)
    {
        ArgumentNullException.ThrowIfNull(image);
        var prefetch = hasher?.BeginPrefetch();
        try
        {
            var plan = PlanListing(image, python, prefetch is null ? null : prefetch.Add);
            prefetch?.Complete();
            return plan;
        }
        catch
        {
            // A failed plan leaves nothing running behind it.
            prefetch?.Stop();
            throw;
        }
    }

    private static ContextPlan PlanListing(Image image, PythonInputs python, Action<IReadOnlyList<WalkedFile>>? listed)
    {
        if (image.Base is DockerfileBase dockerfile) return PlanDockerfile(dockerfile, listed);

        var ignore = new DockerIgnoreMatcher(image.Layers
            .Select((layer, index) => (layer, index))
            .Where(x => x.layer is DockerIgnoreLayer)
            .Select(x => DockerIgnoreFile.Read(((DockerIgnoreLayer)x.layer).File, x.index))
            .ToList());

        var layers = new List<LayerContext>();
        for (var index = 0; index < image.Layers.Count; index++)
        {
            LayerContext? context;
            try
            {
                context = PlanLayer(image, image.Layers[index], index, ignore, python, listed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file vanished or is unreadable mid-walk: a coded error, never a crash.
                throw LayerError.At(index, DiagnosticCodes.InputUnreadable, LayerSource(image.Layers[index]), e.Message);
            }
            if (context is not null) layers.Add(context);
        }
        return new ContextPlan(layers.ToValueArray(), null, ValueArray<ContextFile>.Empty);
    }

    /// <summary>The folder under the context root that holds layer <paramref name="index"/>'s files.</summary>
    public static string LayerDirectory(int index) => "layers/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The .dockerignore Docker uses for a Dockerfile build: <c>&lt;Dockerfile&gt;.dockerignore</c> beside the
    /// Dockerfile when it exists (it wins), else <c>&lt;context&gt;/.dockerignore</c>, else none.
    /// </summary>
    public static string? DockerfileIgnoreFile(DockerfileBase dockerfile)
    {
        var beside = dockerfile.DockerfilePath + ".dockerignore";
        if (File.Exists(beside)) return beside;
        var inContext = Path.Combine(dockerfile.ContextDirectory, ".dockerignore");
        return File.Exists(inContext) ? inContext : null;
    }

    private static string LayerSource(Layer layer) => layer switch
    {
        SourceFolderLayer f => f.Source,
        AppPublishOutputLayer a => a.Source,
        SourceFileLayer f => f.Source,
        RequirementsLayer r => r.File,
        UvProjectLayer u => u.PyprojectFile,
        _ => layer.Kind,
    };

    private static LayerContext? PlanLayer(Image image, Layer layer, int index, DockerIgnoreMatcher ignore, PythonInputs python,
        Action<IReadOnlyList<WalkedFile>>? listed) => layer switch
    {
        SourceFolderLayer folder => PlanFolder(folder.Source, folder.ChunkBytes, index, ignore, listed),
        // Publish output is a source folder with another name: ignore rules apply to it the same way
        // (kept as one COPY: app folders are small next to the chunk size).
        AppPublishOutputLayer app => PlanFolder(app.Source, 0, index, ignore, listed),
        SourceFileLayer file => PlanFile(file, index, ignore),
        RequirementsLayer requirements => PlanRequirements(requirements, index, python),
        UvProjectLayer uv => PlanUvProject(image, uv, index, python),
        _ => null,
    };

    private static LayerContext PlanFolder(string source, long chunkBytes, int index, DockerIgnoreMatcher ignore, Action<IReadOnlyList<WalkedFile>>? listed)
    {
        if (!Directory.Exists(source)) throw LayerError.At(index, DiagnosticCodes.DirectoryNotFound, source);
        var directory = LayerDirectory(index);
        var walked = FolderWalker.Walk(source, ignore, index, listed);
        var chunks = FolderChunks.Assign(walked.Select(f => f.Length).ToList(), chunkBytes);
        if (chunks is null)
        {
            var files = walked.Select(f => new ContextFile(f.RealPath, directory + "/" + f.RelativePath, f.RelativePath, f.IsExecutable, f.Length, f.LastWriteTimeUtc));
            return new LayerContext(index, directory, null, files.ToValueArray(), ValueArray<string>.Empty);
        }
        var parts = Enumerable.Range(0, chunks.Max() + 1).Select(k => FolderChunks.PartDirectory(directory, k)).ToValueArray();
        var chunked = walked.Select((f, i) => new ContextFile(f.RealPath, parts[chunks[i]] + "/" + f.RelativePath, f.RelativePath, f.IsExecutable, f.Length, f.LastWriteTimeUtc));
        return new LayerContext(index, directory, null, chunked.ToValueArray(), ValueArray<string>.Empty) { Parts = parts };
    }

    private static LayerContext PlanFile(SourceFileLayer layer, int index, DockerIgnoreMatcher ignore)
    {
        var real = RealPath.Resolve(layer.Source)
            ?? throw LayerError.At(index, DiagnosticCodes.SymbolicLinkLoop, Path.GetDirectoryName(layer.Source), layer.Source);
        if (!File.Exists(real)) throw LayerError.At(index, DiagnosticCodes.FileNotFound, "source file", layer.Source);
        if (ignore.IsExcluded(layer.Source)) throw LayerError.At(index, DiagnosticCodes.SourceFileIgnored, layer.Source);
        var directory = LayerDirectory(index);
        // Into a folder the file keeps its name (it is part of the image); onto a file path it
        // does not, so renaming the source alone does not change the image or its identifier.
        var intoFolder = layer.Destination == "." || layer.Destination.EndsWith('/');
        var relative = intoFolder ? Path.GetFileName(layer.Source) : "file";
        var entry = directory + "/" + relative;
        return new LayerContext(index, directory, entry, ValueArray.Create(Describe(real, entry, relative)), ValueArray<string>.Empty);
    }

    private static LayerContext PlanRequirements(RequirementsLayer layer, int index, PythonInputs python)
    {
        if (!File.Exists(layer.File)) throw LayerError.At(index, DiagnosticCodes.FileNotFound, "requirements file", layer.File);
        var paths = python.CollectRequirementFiles(layer.File).Select(Path.GetFullPath).Distinct().ToList();
        var common = CommonFolder(paths);
        var directory = LayerDirectory(index);
        var files = paths
            .Select(p => Describe(p, directory + "/" + Relative(common, p), Relative(common, p)))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal);
        return new LayerContext(index, directory, Relative(common, Path.GetFullPath(layer.File)), files.ToValueArray(), ValueArray<string>.Empty);
    }

    private static LayerContext PlanUvProject(Image image, UvProjectLayer layer, int index, PythonInputs python)
    {
        if (!File.Exists(layer.PyprojectFile)) throw LayerError.At(index, DiagnosticCodes.FileNotFound, "pyproject.toml file", layer.PyprojectFile);
        if (!File.Exists(layer.UvLockFile)) throw LayerError.At(index, DiagnosticCodes.FileNotFound, "uv.lock file", layer.UvLockFile);
        var directory = LayerDirectory(index);
        var files = ValueArray.Create(
            Describe(layer.PyprojectFile, directory + "/pyproject.toml", "pyproject.toml"),
            Describe(layer.UvLockFile, directory + "/uv.lock", "uv.lock"));
        // pip cannot read uv.lock, so the pip installer mode installs the lock's pins instead.
        var locked = image.Installer == PythonInstaller.Pip
            ? python.ReadLockedRequirements(layer.UvLockFile, layer.PyprojectFile).ToValueArray()
            : ValueArray<string>.Empty;
        return new LayerContext(index, directory, null, files, locked);
    }

    private static ContextPlan PlanDockerfile(DockerfileBase dockerfile, Action<IReadOnlyList<WalkedFile>>? listed)
    {
        if (!File.Exists(dockerfile.DockerfilePath)) throw new ImageDefinitionException(DiagnosticCodes.FileNotFound, "Dockerfile", dockerfile.DockerfilePath);
        try
        {
            return PlanDockerfileContext(dockerfile, listed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.InputUnreadable, dockerfile.ContextDirectory, e.Message);
        }
    }

    private static ContextPlan PlanDockerfileContext(DockerfileBase dockerfile, Action<IReadOnlyList<WalkedFile>>? listed)
    {
        var ignoreFile = DockerfileIgnoreFile(dockerfile);
        var matcher = ignoreFile is null ? DockerIgnoreMatcher.None : new DockerIgnoreMatcher([DockerIgnoreFile.ReadFor(ignoreFile, dockerfile.ContextDirectory)]);
        var files = FolderWalker.Walk(dockerfile.ContextDirectory, matcher, null, listed)
            .Select(f => new ContextFile(f.RealPath, f.RelativePath, f.RelativePath, f.IsExecutable, f.Length, f.LastWriteTimeUtc));
        return new ContextPlan(ValueArray<LayerContext>.Empty, dockerfile.ContextDirectory, files.ToValueArray());
    }

    /// <summary>A <see cref="ContextFile"/> for an existing file, with its size, time and execute bit.</summary>
    internal static ContextFile Describe(string sourcePath, string contextPath, string relativePath)
    {
        var info = new FileInfo(sourcePath);
        return new ContextFile(info.FullName, contextPath, relativePath, IsExecutable(info.FullName), info.Length, info.LastWriteTimeUtc);
    }

    /// <summary>True when the owner may execute the file (never on Windows, which has no such bit).</summary>
    internal static bool IsExecutable(string path)
        => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string CommonFolder(IReadOnlyList<string> paths)
    {
        var common = Path.GetDirectoryName(paths[0])!;
        foreach (var path in paths.Skip(1))
        {
            while (!RealPath.IsInside(path, common)) common = Path.GetDirectoryName(common) ?? common;
        }
        return common;
    }
}

/// <summary>The Python concern's readers the planner needs (a seam so tests can use fakes).</summary>
/// <param name="CollectRequirementFiles">A requirements file and its transitive includes, main file first.</param>
/// <param name="ReadLockedRequirements">A uv.lock's pins, given the lock and the pyproject.</param>
internal sealed record PythonInputs(
    Func<string, IReadOnlyList<string>> CollectRequirementFiles,
    Func<string, string, IReadOnlyList<string>> ReadLockedRequirements)
{
    /// <summary>The real readers of the Python concern.</summary>
    public static PythonInputs Default { get; } = new(Python.RequirementsFile.CollectFiles, Python.UvLockFile.ReadLockedRequirements);
}
