using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ContainerImage.Identity;

namespace ContainerImage.Context;

/// <summary>
/// A layer's file manifest (relative path, SHA-256, execute bit, sorted by path) remembered across runs, keyed by
/// a SHA-256 of the layer's walk result: every file's source path, relative path, execute bit, size and
/// modification time, in plan order. When a layer's walk is unchanged, the identifier reuses the manifest
/// instead of looking up 20,000 file hashes and sorting them again. It trusts size and time exactly as the
/// per-file hash cache does (<see cref="FileHasher"/>), so it can never be more stale than that cache.
/// </summary>
/// <remarks>
/// Format (little-endian): the 8 ASCII bytes <c>CIMGLM01</c>, an int32 layer count, then per layer the 32-byte key,
/// an int32 file count, and per file the relative path (.NET BinaryWriter string), 32 hash bytes and one byte
/// (1 = executable). An unreadable or foreign file is ignored (every layer is computed again).
/// </remarks>
public sealed class LayerManifestCache
{
    private const string Magic = "CIMGLM01";

    private readonly ConcurrentDictionary<string, IReadOnlyList<ManifestFile>> _loaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ManifestFile>> _used = new(StringComparer.Ordinal);
    private volatile bool _changed;

    /// <summary>A cache stored in <paramref name="cacheFile"/> (loaded now if it exists).</summary>
    public LayerManifestCache(string cacheFile) : this(cacheFile, false)
    {
    }

    /// <summary>
    /// A cache stored in <paramref name="cacheFile"/>; with <paramref name="loadInBackground"/>, read on a thread pool
    /// thread while the caller goes on (a hasher made before the plan: 20,000 manifest entries are decoded while the
    /// walk runs, instead of after it). Every member waits for the load.
    /// </summary>
    internal LayerManifestCache(string cacheFile, bool loadInBackground)
    {
        CacheFile = Path.GetFullPath(cacheFile);
        if (loadInBackground) _loading = Task.Run(Load);
        else Load();
    }

    private volatile Task? _loading;

    private void WaitForLoad()
    {
        if (_loading is not { } loading) return;
        loading.GetAwaiter().GetResult();
        _loading = null;
    }

    /// <summary>The cache file.</summary>
    public string CacheFile { get; }

    /// <summary>How many lookups were answered from the cache by this instance.</summary>
    public int Hits => _hits;

    private int _hits;

    /// <summary>
    /// The key of a layer's walk result, or null when some file carries no walk time (a caller's synthetic
    /// entry): such a layer is never cached, because nothing would tell a changed file from an unchanged one.
    /// </summary>
    public static string? KeyOf(IReadOnlyList<ContextFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        // A 64 KiB buffer handed to one incremental hash whenever it fills: 20,000 files x 5 small appends to the hash
        // cost more than the walk's own work, and one buffer holding the whole walk (2+ MB) was a large-object
        // allocation grown by doubling on every run. The bytes hashed are the same either way.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var key = new KeyWriter(hash);
        key.Append("containerimage-layer-walk-1"u8);
        key.AppendInt64(files.Count);
        foreach (var file in files)
        {
            if (file.LastWriteTimeUtc == default) return null;
            // Length-prefixed strings: no two different walks produce the same byte stream.
            key.AppendString(file.SourcePath);
            key.AppendString(file.RelativePath);
            key.Append(file.IsExecutable ? "x"u8 : "-"u8);
            key.AppendInt64(file.Length);
            key.AppendInt64(file.LastWriteTimeUtc.Ticks);
        }
        return Convert.ToHexString(key.Finish());
    }

    // The byte stream of a walk, buffered in front of an incremental hash.
    private sealed class KeyWriter(IncrementalHash hash)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _length;

        private Span<byte> Room(int most)
        {
            if (_length + most > _buffer.Length)
            {
                hash.AppendData(_buffer, 0, _length);
                _length = 0;
            }
            return _buffer.AsSpan(_length);
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length)
            {
                hash.AppendData(_buffer, 0, _length);
                _length = 0;
                hash.AppendData(bytes);
                return;
            }
            bytes.CopyTo(Room(bytes.Length));
            _length += bytes.Length;
        }

        public void AppendInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Room(8), value);
            _length += 8;
        }

        public void AppendString(string text)
        {
            var most = Encoding.UTF8.GetMaxByteCount(text.Length) + 4;
            if (most > _buffer.Length)
            {
                // A path longer than the buffer (never in practice): encoded on its own, same bytes.
                var bytes = Encoding.UTF8.GetBytes(text);
                Span<byte> prefix = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(prefix, bytes.Length);
                Append(prefix);
                Append(bytes);
                return;
            }
            var room = Room(most);
            var written = Encoding.UTF8.GetBytes(text, room[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(room, written);
            _length += 4 + written;
        }

        public byte[] Finish()
        {
            hash.AppendData(_buffer, 0, _length);
            _length = 0;
            return hash.GetHashAndReset();
        }
    }

    /// <summary>The manifest remembered for <paramref name="key"/>, or null.</summary>
    public IReadOnlyList<ManifestFile>? TryGet(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        WaitForLoad();
        if (_used.TryGetValue(key, out var files) || _loaded.TryGetValue(key, out files))
        {
            _used[key] = files;
            Interlocked.Increment(ref _hits);
            return files;
        }
        return null;
    }

    /// <summary>Remembers <paramref name="files"/> (sorted by path) for <paramref name="key"/>.</summary>
    public void Set(string key, IReadOnlyList<ManifestFile> files)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(files);
        WaitForLoad();
        _used[key] = files;
        _changed = true;
    }

    /// <summary>
    /// Writes the layers used by this instance (atomically, only when one was added): a layer whose walk
    /// changed has a new key, and its old manifest is dropped instead of piling up.
    /// </summary>
    public void Save()
    {
        WaitForLoad();
        if (!_changed) return;
        var keep = _used.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        // Same folder, then rename: readers see the old cache or the new one, never half of one.
        AtomicFile.Write(CacheFile, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8);
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(keep.Count);
            foreach (var (key, files) in keep)
            {
                writer.Write(Convert.FromHexString(key));
                writer.Write(files.Count);
                foreach (var file in files)
                {
                    writer.Write(file.Path);
                    writer.Write(Convert.FromHexString(file.Sha256));
                    writer.Write(file.Executable ? (byte)1 : (byte)0);
                }
            }
        });
        _changed = false;
    }

    private void Load()
    {
        if (!File.Exists(CacheFile)) return;
        try
        {
            var span = File.ReadAllBytes(CacheFile).AsSpan();
            if (span.Length < Magic.Length + 4 || Encoding.ASCII.GetString(span[..Magic.Length]) != Magic) return;
            var offset = Magic.Length;
            var layers = CacheFileFormat.ReadCount(span, ref offset);
            for (var layer = 0; layer < layers; layer++)
            {
                var key = Convert.ToHexString(span.Slice(offset, 32));
                offset += 32;
                var count = CacheFileFormat.ReadCount(span, ref offset);
                var files = new ManifestFile[count];
                for (var i = 0; i < count; i++)
                {
                    var path = CacheFileFormat.ReadString(span, ref offset);
                    var sha = CacheFileFormat.LowerHex(span.Slice(offset, 32));
                    var executable = span[offset + 32] switch { 0 => false, 1 => true, _ => throw new FormatException("bad execute flag") };
                    offset += 33;
                    files[i] = new ManifestFile(path, sha, executable);
                }
                _loaded[key] = files;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            // A damaged cache only costs computing the manifests again; never fail a build over it.
            _loaded.Clear();
        }
    }
}
