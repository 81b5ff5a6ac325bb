using System.Security.Cryptography;
using System.Text;
using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Identity;

/// <summary>
/// Computes the identifier: SHA-256 over the canonical JSON of everything that decides the built image
/// (spec version, base, platforms as a set, installer, every layer's parameters and files, the generated
/// Dockerfile) and nothing else (no registry, name, tag, absolute path, timestamp, enumeration order,
/// secret source or value). docs/identifier.md is the field-by-field specification.
/// </summary>
public static class ImageIdentifier
{
    /// <summary>The spec version written first in the canonical JSON; bump it when the encoding changes.</summary>
    public const string SpecVersion = "containerimage-identity/1";

    /// <summary>Plans the context and computes the identity (files are hashed while the plan is still walking).</summary>
    public static ImageIdentity Compute(Image image) => PlanAndCompute(image, null);

    /// <summary>Plans the context and computes the identity with a given Dockerfile text function.</summary>
    public static ImageIdentity Compute(Image image, Func<Image, ContextPlan, string> dockerfileText) => PlanAndCompute(image, dockerfileText);

    private static ImageIdentity PlanAndCompute(Image image, Func<Image, ContextPlan, string>? dockerfileText)
    {
        ArgumentNullException.ThrowIfNull(image);
        var hasher = new FileHasher();
        return Compute(image, ContextPlanner.Plan(image, hasher), hasher, dockerfileText);
    }

    /// <summary>Computes the identity from an existing plan, hashing files with <paramref name="hasher"/> (a cache-backed one in MSBuild).</summary>
    public static ImageIdentity Compute(Image image, ContextPlan plan, FileHasher? hasher = null)
        => Compute(image, plan, hasher, null);

    /// <summary>
    /// Computes the identity from an existing plan. <paramref name="dockerfileText"/> produces the generated
    /// Dockerfile whose SHA-256 is part of the encoding (default <see cref="Dockerfile.DockerfileWriter.Write(Image, ContextPlan)"/>),
    /// so any change in generated output changes the identifier.
    /// </summary>
    public static ImageIdentity Compute(Image image, ContextPlan plan, FileHasher? hasher, Func<Image, ContextPlan, string>? dockerfileText)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(plan);
        hasher ??= new FileHasher();
        // Hashing may still run from the plan's walk (ContextPlanner.Plan(image, hasher)): nothing is read while
        // it runs, and nothing of it runs on after this call (even when every layer came from the manifest cache).
        hasher.WaitForPrefetches();
        dockerfileText ??= Dockerfile.DockerfileWriter.Write;
        Dictionary<string, string> hashes;
        Dictionary<int, IReadOnlyList<ManifestFile>> layerFiles;
        try
        {
            (hashes, layerFiles) = HashAll(image, plan, hasher);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Parallel hashing wraps failures; report the first file that could not be read.
            throw new Diagnostics.ImageDefinitionException(Diagnostics.DiagnosticCodes.InputUnreadable, "a declared file", e.Message);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is IOException or UnauthorizedAccessException)
        {
            throw new Diagnostics.ImageDefinitionException(Diagnostics.DiagnosticCodes.InputUnreadable, "a declared file", e.InnerExceptions[0].Message);
        }

        // The parent's identifier with the same Dockerfile function and hasher, so a test's fixed text
        // (and a build's hash cache) applies to the whole chain.
        var parentIdentifier = image.Base is ParentImageBase parentBase
            ? Compute(parentBase.Parent, ContextPlanner.Plan(parentBase.Parent, hasher), hasher, dockerfileText).Identifier
            : null;
        var manifests = new List<LayerManifest>();
        var json = new CanonicalJsonWriter().StartObject().String("spec", SpecVersion);
        WriteBase(json, image, plan, hashes, manifests, parentIdentifier);
        json.StartArray("platforms");
        foreach (var platform in image.Platforms.Select(p => p.ToString()).Order(StringComparer.Ordinal)) json.String(null, platform);
        json.EndArray();
        if (image.Base is DockerfileBase) json.String("installer", null);
        else
        {
            json.StartObject("installer")
                .String("mode", image.Installer == PythonInstaller.Pip ? "pip" : "uv")
                .String("uvImage", image.Installer == PythonInstaller.Uv ? image.UvImage : null)
                .EndObject();
        }
        json.StartArray("layers");
        for (var index = 0; index < image.Layers.Count; index++)
        {
            var layer = image.Layers[index];
            var context = plan.ForLayer(index);
            var parameters = LayerEncoder.Parameters(layer, context);
            var files = layerFiles.TryGetValue(index, out var known) ? known : [];
            json.StartObject().String("kind", layer.Kind).Raw("parameters", parameters);
            WriteFiles(json, files);
            json.EndObject();
            manifests.Add(new LayerManifest(index, layer.Kind, LayerEncoder.Describe(layer), Sha256Hex(parameters), files));
        }
        json.EndArray();
        // A Dockerfile image is used as it is: its text is already covered by "dockerfileSha256" in the
        // base, and there is no generated Dockerfile to hash.
        if (image.Base is not DockerfileBase)
        {
            json.String("dockerfile", Sha256Hex(dockerfileText(WithNeutralParent(image, parentIdentifier), plan)));
        }
        var canonical = json.EndObject().ToString();
        return new ImageIdentity(Sha256Hex(canonical), canonical) { Layers = manifests };
    }

    /// <summary>
    /// For a derived image, the same image whose parent is named <c>parent:&lt;parent identifier&gt;</c>: its
    /// Dockerfile says <c>FROM</c> the parent's URI, which holds the parent's registry, name and tag, and
    /// those must not reach the child's identifier (the parent's identifier, in the base, stands for its content).
    /// </summary>
    private static Image WithNeutralParent(Image image, string? parentIdentifier)
    {
        if (image.Base is not ParentImageBase parent || parentIdentifier is null) return image;
        var neutral = parent.Parent.WithRegistry(null).WithName("parent").WithTag(parentIdentifier);
        return image.WithBase(new ParentImageBase(neutral));
    }

    /// <summary>The lowercase hex SHA-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Sha256Hex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const int ChunkChars = 16 * 1024;
        if (text.Length <= ChunkChars) return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        // The canonical JSON of a 20,000-file tree is 2+ MB: encoded and hashed a slice at a time instead of as one
        // large-object byte array. The encoder keeps a surrogate pair split across slices whole, so the bytes
        // hashed are exactly Encoding.UTF8.GetBytes(text).
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = Encoding.UTF8.GetEncoder();
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(ChunkChars)];
        for (var start = 0; start < text.Length; start += ChunkChars)
        {
            var slice = text.AsSpan(start, Math.Min(ChunkChars, text.Length - start));
            var written = encoder.GetBytes(slice, bytes, flush: start + slice.Length == text.Length);
            hash.AppendData(bytes, 0, written);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static void WriteBase(CanonicalJsonWriter json, Image image, ContextPlan plan, IReadOnlyDictionary<string, string> hashes,
        List<LayerManifest> manifests, string? parentIdentifier)
    {
        json.StartObject("base").String("kind", image.Base.Kind);
        switch (image.Base)
        {
            case DebianBase debian:
                json.String("image", debian.BaseImage.ToString())
                    .String("python", debian.Python.ToString())
                    .String("coreLibrary", debian.InstallCoreLibrary ? debian.CoreLibrarySpec : null)
                    .Strings("aptPackages", debian.AptPackages)
                    .String("user", debian.User)
                    .Number("uid", debian.UserId);
                break;
            case ExistingImageBase existing:
                // With a pinned digest this is repo:tag@digest: re-pinning to a moved tag changes it.
                json.String("image", existing.EffectiveReference.ToString());
                break;
            case ParentImageBase:
                json.String("identifier", parentIdentifier);
                break;
            case DockerfileBase dockerfile:
                var contextDirectory = plan.ExternalContextDirectory ?? dockerfile.ContextDirectory;
                var relative = Path.GetRelativePath(contextDirectory, dockerfile.DockerfilePath).Replace(Path.DirectorySeparatorChar, '/');
                var files = ManifestFiles(plan.ExternalFiles, hashes);
                json.String("dockerfile", relative).String("dockerfileSha256", hashes[dockerfile.DockerfilePath]);
                WriteFiles(json, files);
                manifests.Add(new LayerManifest(-1, "Dockerfile", "Dockerfile " + relative + " with context " + Path.GetFileName(contextDirectory),
                    Sha256Hex(relative), files));
                break;
            default:
                throw new ArgumentException($"Unknown base kind '{image.Base.Kind}'.", nameof(image));
        }
        json.EndObject();
    }

    // Every file once, in one parallel pass, keyed by source path; and each layer's sorted manifest. A layer
    // whose walk (paths, sizes, times, execute bits) is the one the hasher's layer cache remembers takes its
    // manifest from there, and its files are not looked up at all.
    private static (Dictionary<string, string> Hashes, Dictionary<int, IReadOnlyList<ManifestFile>> LayerFiles) HashAll(
        Image image, ContextPlan plan, FileHasher hasher)
    {
        var cache = hasher.LayerManifests;
        var layerFiles = new Dictionary<int, IReadOnlyList<ManifestFile>>();
        var missed = new List<(LayerContext Layer, string? Key)>();
        foreach (var layer in plan.Layers)
        {
            var key = cache is null ? null : LayerManifestCache.KeyOf(layer.Files);
            if (key is not null && cache!.TryGet(key) is { } known) layerFiles[layer.LayerIndex] = known;
            else missed.Add((layer, key));
        }
        var files = missed.SelectMany(m => m.Layer.Files).Concat(plan.ExternalFiles).ToList();
        if (image.Base is DockerfileBase dockerfile)
        {
            files.Add(new ContextFile(dockerfile.DockerfilePath, "", "", false, 0, default));
        }
        var distinct = files.DistinctBy(f => f.SourcePath, StringComparer.Ordinal).ToList();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (distinct.Count > 0)
        {
            var hashed = hasher.Hash(distinct);
            for (var i = 0; i < distinct.Count; i++) hashes[distinct[i].SourcePath] = hashed[i];
        }
        foreach (var (layer, key) in missed)
        {
            var manifest = ManifestFiles(layer.Files, hashes);
            layerFiles[layer.LayerIndex] = manifest;
            if (key is not null) cache!.Set(key, manifest);
        }
        return (hashes, layerFiles);
    }

    // Plans list files by relative path already (20,000 of them on a large tree): sorted only when they are not.
    private static List<ManifestFile> ManifestFiles(IEnumerable<ContextFile> files, IReadOnlyDictionary<string, string> hashes)
    {
        var manifest = files.Select(f => new ManifestFile(f.RelativePath, hashes[f.SourcePath], f.IsExecutable)).ToList();
        for (var i = 1; i < manifest.Count; i++)
        {
            if (string.CompareOrdinal(manifest[i - 1].Path, manifest[i].Path) > 0)
            {
                return manifest.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            }
        }
        return manifest;
    }

    private static void WriteFiles(CanonicalJsonWriter json, IEnumerable<ManifestFile> files)
    {
        json.StartArray("files");
        foreach (var file in files)
        {
            json.StartObject().String("path", file.Path).Bool("exec", file.Executable).String("sha256", file.Sha256).EndObject();
        }
        json.EndArray();
    }
}
