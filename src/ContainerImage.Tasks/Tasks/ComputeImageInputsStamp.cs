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

    /// <inheritdoc/>
    protected override bool ExecuteCore()
    {
        var timer = new TaskTimer(Log, nameof(ComputeImageInputsStamp));
        // The stamp lives in the image folder: claim it first (CIMG5120 for a second project). Left to
        // GenerateImageDefinition alone, two projects sharing the folder race on this very file: the loser's
        // stamp can be older than the winner's Dockerfile, its GenerateImageDefinition is skipped as up to
        // date, and it never learns the folder is not its own.
        if (!string.IsNullOrWhiteSpace(ProjectFile))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(StampFile))!;
            ImageFolderClaim.Claim(folder, ProjectFile, string.IsNullOrWhiteSpace(ImageName) ? Path.GetFileName(folder) : ImageName.Trim());
        }
        var stamp = ComputeStamp(timer);
        Changed = OutputFiles.WriteIfChanged(StampFile, stamp + "\n");
        Log.LogMessage(MessageImportance.Low, Changed ? $"Image inputs changed; stamp {stamp}." : $"Image inputs unchanged; stamp {stamp}.");
        timer.Mark("write");
        return true;
    }

    private string ComputeStamp(TaskTimer timer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            // Length-prefixed, so no two different input lists can produce the same byte stream.
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
            hash.AppendData(bytes);
        }

        Add("containerimage-stamp-1");
        Add(typeof(ComputeImageInputsStamp).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var (name, value) in DefinitionProperties().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(name);
            Add(value ?? "");
        }
        AddItems(Add, "layers", Layers);
        AddItems(Add, "secrets", Secrets);
        AddItems(Add, "clones", Clones);
        timer.Mark("properties and items");
        foreach (var line in InputFileLines(timer)) Add(line);
        timer.Mark("input files hashed into the stamp");
        // A pinned base is a question to the registry, whose answer can change with no file changing:
        // the stamp must change every time so GenerateImageDefinition asks again.
        if (BasePinningMode.Parse(ImageBasePinning) != BasePinningMode.Mode.None) Add(Guid.NewGuid().ToString());
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
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
    private IEnumerable<string> InputFileLines(TaskTimer timer)
    {
        List<string> lines;
        try
        {
            // Planned files carry the size and time their walk just read: no second stat per file (20,000-file
            // trees). Files the plan does not list (Dockerfile, .dockerignore, requirements...) are stat'ed here.
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var images = MapImages();
            timer.Mark("map items to images");
            foreach (var image in images.Select(m => m.Image))
            {
                foreach (var file in ContextPlanner.Plan(image).AllFiles)
                {
                    files.TryAdd(file.SourcePath, file.LastWriteTimeUtc == default ? Describe(file.SourcePath) : Describe(file.SourcePath, file.Length, file.LastWriteTimeUtc));
                }
                foreach (var path in DeclaredFiles(image))
                {
                    // A declared file the plan also lists is described by the plan (same path, same stat).
                    if (!files.ContainsKey(path)) files[path] = Describe(path);
                }
            }
            timer.Mark("plan (walk)");
            lines = [.. files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value)];
            timer.Mark("describe input files");
        }
        catch (Exception e)
        {
            Log.LogMessage(MessageImportance.Low, $"Image inputs could not be listed ({e.GetType().Name}); the definition will be regenerated.");
            lines = ["unlisted:" + Guid.NewGuid().ToString("N")];
        }
        return lines;
    }

    private IEnumerable<string> DeclaredFiles(Image image)
    {
        if (image.Base is DockerfileBase dockerfile) yield return dockerfile.DockerfilePath;
        if (!string.IsNullOrWhiteSpace(ImageUvScript)) yield return Path.GetFullPath(ImageUvScript.Trim(), ProjectDirectory);
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
