using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContainerImage.Context;
using ContainerImage.Model;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>
/// Always runs, and cheaply: hashes everything GenerateImageDefinition reads (the definition
/// properties, every item with its metadata, the task assembly, and each input file's path, size and
/// modification time) into <see cref="StampFile"/>, rewritten only when the hash changes. Item specs
/// are not files, so this stamp is what lets GenerateImageDefinition use Inputs/Outputs at all.
/// </summary>
public sealed class ComputeImageInputsStamp : ImageDefinitionTask
{
    /// <summary>The stamp file.</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <summary>True when the stamp was (re)written, i.e. some input changed.</summary>
    [Output]
    public bool Changed { get; private set; }

    /// <summary>
    /// True: only start listing the input files on another thread (<see cref="InputsWalkPrefetch"/>) and return,
    /// writing nothing. The targets set it during `dotnet publish`'s restore pass, so the walk overlaps the
    /// evaluation that follows in the same process; the real run then takes that list when its definition key
    /// (properties, items, metadata) is the same.
    /// </summary>
    public bool StartOnly { get; set; }

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var timer = new TaskTimer(Log, nameof(ComputeImageInputsStamp));
        var key = DefinitionKey();
        timer.Mark("properties and items");
        if (StartOnly)
        {
            StartWalk(key);
            timer.Mark("start the inputs walk");
            return true;
        }
        var stamp = ComputeStamp(key, timer);
        Changed = OutputFiles.WriteIfChanged(StampFile, stamp + "\n");
        Log.LogMessage(MessageImportance.Low, Changed ? $"Image inputs changed; stamp {stamp}." : $"Image inputs unchanged; stamp {stamp}.");
        timer.Mark("write");
        return true;
    }

    // The definition as declared: properties, items with metadata, and the task assembly's build.
    private string DefinitionKey()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => AddLengthPrefixed(hash, text);
        Add("containerimage-definition-1");
        Add(typeof(ComputeImageInputsStamp).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(ProjectFile);
        Add(ImageUvScript ?? "");
        foreach (var (name, value) in DefinitionProperties().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(name);
            Add(value ?? "");
        }
        AddItems(Add, "layers", Layers);
        AddItems(Add, "secrets", Secrets);
        AddItems(Add, "clones", Clones);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private string ComputeStamp(string key, TaskTimer timer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => AddLengthPrefixed(hash, text);
        Add("containerimage-stamp-2");
        Add(key);
        var early = InputsWalkPrefetch.TryTake(key);
        if (early is not null) Log.LogMessage(MessageImportance.Low, "Image input files listed by the walk started early.");
        timer.Mark(early is null ? "(no early walk)" : "wait for the early walk");
        foreach (var line in early ?? InputFileLines(timer)) Add(line);
        timer.Mark("input files hashed into the stamp");
        // A pinned base is a question to the registry, whose answer can change with no file changing:
        // the stamp must change every time so GenerateImageDefinition asks again.
        if (BasePinningMode.Parse(ImageBasePinning) != BasePinningMode.Mode.None) Add(Guid.NewGuid().ToString());
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private void StartWalk(string key)
    {
        IReadOnlyList<Image> images;
        string? uvScript;
        try
        {
            images = MapImages().Select(m => m.Image).ToList();
            uvScript = UvScriptPath();
        }
        catch (Exception e)
        {
            // The real run maps again and reports what is wrong; nothing to start.
            Log.LogMessage(MessageImportance.Low, $"The early inputs walk did not start ({e.GetType().Name}).");
            return;
        }
        InputsWalkPrefetch.Start(key, () => ListInputFiles(images, uvScript));
        Log.LogMessage(MessageImportance.Low, "Started the image inputs walk early.");
    }

    private static void AddLengthPrefixed(IncrementalHash hash, string text)
    {
        // Length-prefixed, so no two different input lists can produce the same byte stream.
        var bytes = Encoding.UTF8.GetBytes(text);
        hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        hash.AppendData(bytes);
    }

    private static void AddItems(Action<string> add, string what, ITaskItem[] items)
    {
        add(what);
        add(items.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var item in items)
        {
            add(item.ItemSpec);
            var metadata = item.CloneCustomMetadata();
            var names = metadata.Keys.Cast<string>().OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            add(names.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var name in names)
            {
                add(name.ToLowerInvariant());
                add(metadata[name]?.ToString() ?? "");
            }
        }
    }

    // The files the definition reads, with size and time. When the definition cannot be mapped or
    // planned, a fresh random line makes every run rerun GenerateImageDefinition, which then
    // reports the error: a broken definition is never "up to date".
    private IReadOnlyList<string> InputFileLines(TaskTimer timer)
    {
        try
        {
            var images = MapImages().Select(m => m.Image).ToList();
            timer.Mark("map items to images");
            var lines = ListInputFiles(images, UvScriptPath());
            timer.Mark("plan (walk) and describe input files");
            return lines;
        }
        catch (Exception e)
        {
            Log.LogMessage(MessageImportance.Low, $"Image inputs could not be listed ({e.GetType().Name}); the definition will be regenerated.");
            return ["unlisted:" + Guid.NewGuid().ToString("N")];
        }
    }

    private string? UvScriptPath() => string.IsNullOrWhiteSpace(ImageUvScript) ? null : Path.GetFullPath(ImageUvScript.Trim(), ProjectDirectory);

    /// <summary>
    /// One line per input file (path, size, time), in path order. Planned files carry the size and time their walk
    /// just read: no second stat per file (20,000-file trees). Files the plan does not list (Dockerfile,
    /// .dockerignore, requirements...) are stat'ed here. Logs nothing: it may run on another thread.
    /// </summary>
    private static IReadOnlyList<string> ListInputFiles(IReadOnlyList<Image> images, string? uvScript)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            foreach (var file in ContextPlanner.Plan(image).AllFiles)
            {
                files.TryAdd(file.SourcePath, file.LastWriteTimeUtc == default ? Describe(file.SourcePath) : Describe(file.SourcePath, file.Length, file.LastWriteTimeUtc));
            }
            foreach (var path in DeclaredFiles(image, uvScript))
            {
                // A declared file the plan also lists is described by the plan (same path, same stat).
                if (!files.ContainsKey(path)) files[path] = Describe(path);
            }
        }
        return [.. files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value)];
    }

    private static IEnumerable<string> DeclaredFiles(Image image, string? uvScript)
    {
        if (image.Base is DockerfileBase dockerfile) yield return dockerfile.DockerfilePath;
        if (uvScript is not null) yield return uvScript;
        foreach (var layer in image.Layers)
        {
            switch (layer)
            {
                case DockerIgnoreLayer ignore: yield return ignore.File; break;
                case RequirementsLayer requirements: yield return requirements.File; break;
                case SourceFileLayer file: yield return file.Source; break;
                case UvProjectLayer uv:
                    yield return uv.PyprojectFile;
                    yield return uv.UvLockFile;
                    break;
            }
        }
    }

    private static string Describe(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? Describe(path, info.Length, info.LastWriteTimeUtc) : path + "|missing";
    }

    private static string Describe(string path, long length, DateTime lastWriteTimeUtc)
        => string.Create(CultureInfo.InvariantCulture, $"{path}|{length}|{lastWriteTimeUtc.Ticks}");
}
