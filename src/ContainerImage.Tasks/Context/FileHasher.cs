namespace ContainerImage.Context;

/// <summary>PLACEHOLDER CONTRACT (replaced by the context work): SHA-256 of files, with an optional on-disk cache keyed by path, size and mtime.</summary>
public sealed class FileHasher
{
    /// <summary>A hasher; with <paramref name="cacheFile"/>, hashes are reused across runs while size and mtime match.</summary>
    public FileHasher(string? cacheFile = null) => CacheFile = cacheFile;

    /// <summary>The cache file, if any.</summary>
    public string? CacheFile { get; }

    /// <summary>The lowercase hex SHA-256 of each file, in the given order (hashed in parallel).</summary>
    public IReadOnlyList<string> Hash(IReadOnlyList<ContextFile> files) => throw new InvalidOperationException("placeholder contract");

    /// <summary>Writes the cache (atomically, only when it changed).</summary>
    public void Save() => throw new InvalidOperationException("placeholder contract");
}
