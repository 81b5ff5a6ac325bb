using ContainerImage.Model;

namespace ContainerImage.Context;

/// <summary>One declared input file and where it goes in the build context.</summary>
/// <param name="SourcePath">The file on the build machine (absolute).</param>
/// <param name="ContextPath">Its '/'-separated path inside the build context root.</param>
/// <param name="RelativePath">Its normalized '/'-separated path relative to the layer's own root
/// (the source folder, the requirements root, the Dockerfile's folder): what the identifier hashes.</param>
/// <param name="IsExecutable">Whether the file has an execute bit (always false on Windows).</param>
/// <param name="Length">The size in bytes.</param>
/// <param name="LastWriteTimeUtc">The modification time, for the per-file hash cache only.</param>
public sealed record ContextFile(string SourcePath, string ContextPath, string RelativePath, bool IsExecutable, long Length, DateTime LastWriteTimeUtc);

/// <summary>
/// The context inputs of one layer. Layout conventions (shared by the context writer and the
/// Dockerfile writer): a layer's files live under <see cref="ContextDirectory"/> = <c>layers/{index}</c>.
/// <list type="bullet">
/// <item>SourceFolder: the folder's files (after ignore rules) under <c>layers/{i}/</c>, or, for a folder split
/// into chunks, under <c>layers/{i}/part{k}/</c> (see <see cref="LayerContext.Parts"/>); <see cref="EntryPath"/> is null.</item>
/// <item>SourceFile: when the destination is a folder (<c>.</c> or ends in '/'), the file keeps its name under
/// <c>layers/{i}/</c>; otherwise it is <c>layers/{i}/file</c>. <see cref="EntryPath"/> is that context path.</item>
/// <item>Requirements: the file and its transitive includes under <c>layers/{i}/</c>, relative to their common
/// folder; <see cref="EntryPath"/> is the main file's path relative to <see cref="ContextDirectory"/>.</item>
/// <item>UvProject: <c>layers/{i}/pyproject.toml</c> and <c>layers/{i}/uv.lock</c>; <see cref="EntryPath"/> is null.</item>
/// <item>Other kinds have no files.</item>
/// </list>
/// </summary>
/// <param name="LayerIndex">The layer's index in <see cref="Image.Layers"/>.</param>
/// <param name="ContextDirectory">The '/'-separated folder in the context.</param>
/// <param name="EntryPath">See the layout conventions above.</param>
/// <param name="Files">The files, ordered by <see cref="ContextFile.RelativePath"/> (ordinal).</param>
/// <param name="LockedRequirements">UvProject only: the lock's pinned requirements (<c>name==version</c>,
/// sorted), which the pip installer mode installs since pip cannot read <c>uv.lock</c>; empty otherwise.</param>
public sealed record LayerContext(int LayerIndex, string ContextDirectory, string? EntryPath, ValueArray<ContextFile> Files, ValueArray<string> LockedRequirements)
{
    /// <summary>
    /// SourceFolder only, when the folder is larger than <see cref="SourceFolderLayer.ChunkBytes"/>: the
    /// '/'-separated chunk folders (<c>layers/{i}/part{k}</c>, in order), each holding its files under their
    /// relative paths, one COPY each. Empty (the usual case): the files sit directly under <see cref="ContextDirectory"/>.
    /// </summary>
    public ValueArray<string> Parts { get; init; } = ValueArray<string>.Empty;
}

/// <summary>
/// Everything that goes into the build context of an image, computed from the model and the disk
/// (ignore rules applied). For a Dockerfile image the context is the Dockerfile's folder as it is
/// (<see cref="ExternalContextDirectory"/>), and <see cref="ExternalFiles"/> lists what Docker will see of it.
/// </summary>
/// <param name="Layers">One entry per layer that has files, in layer order.</param>
/// <param name="ExternalContextDirectory">The Dockerfile image's context folder, else null.</param>
/// <param name="ExternalFiles">The Dockerfile image's context files after its own .dockerignore, else empty.</param>
public sealed record ContextPlan(ValueArray<LayerContext> Layers, string? ExternalContextDirectory, ValueArray<ContextFile> ExternalFiles)
{
    /// <summary>Every file of the plan.</summary>
    public IEnumerable<ContextFile> AllFiles => Layers.SelectMany(l => l.Files).Concat(ExternalFiles);

    /// <summary>The entry for layer <paramref name="index"/>, or null when it has no files.</summary>
    public LayerContext? ForLayer(int index) => Layers.FirstOrDefault(l => l.LayerIndex == index);
}
