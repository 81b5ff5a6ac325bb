using System.Collections.Concurrent;

namespace ContainerImage.Context;

/// <summary>
/// Hashes files while the plan is still walking the rest of the tree (a cold identifier: the walk leaves a core idle
/// part of the time, and hashing fills it). The walker hands over each top-level folder's files as soon as it has
/// listed them; worker threads (one less than the cores, at least one: the walk has the others) hash them into the
/// <see cref="FileHasher"/>'s in-memory entries. When the hasher's own pass begins, the prefetch stops after the files
/// in hand and the pass, over every core and largest files first, hashes what is left and finds the rest done.
/// Dedicated threads, not the thread pool: the walk's own parallel loop occupies the pool's threads, and queued
/// hashing would only start once the walk is over.
/// </summary>
/// <remarks>
/// A file that cannot be read here is simply not stored: the hasher's own pass reads it again and reports it
/// exactly as without prefetching (same error, same first error).
/// </remarks>
internal sealed class FilePrefetch
{
    private readonly BlockingCollection<WalkedFile> _queue = new();
    private readonly Thread[] _workers;
    private readonly Action<WalkedFile> _hash;
    private volatile bool _cancelled;

    /// <summary>Starts the workers (cores - 1, at least 1) that pass each queued file to <paramref name="hash"/>.</summary>
    public FilePrefetch(Action<WalkedFile> hash)
    {
        _hash = hash;
        _workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount - 1))
            .Select(_ => new Thread(Work) { IsBackground = true, Name = "cimg-hash-prefetch" })
            .ToArray();
        foreach (var worker in _workers) worker.Start();
    }

    /// <summary>Queues <paramref name="files"/>, largest first (a big file started last would finish alone).</summary>
    public void Add(IReadOnlyList<WalkedFile> files)
    {
        if (_cancelled) return;
        try
        {
            foreach (var file in files.OrderByDescending(f => f.Length)) _queue.Add(file);
        }
        catch (InvalidOperationException)
        {
            // Stopped meanwhile: the hasher's pass does these files.
        }
    }

    /// <summary>No more files will come: the workers finish the queue and stop.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>
    /// Drops what is still queued and waits for the workers to finish the file in hand: the hasher's pass takes over
    /// (or the plan failed, and nothing may run on after it).
    /// </summary>
    public void Stop()
    {
        _cancelled = true;
        Complete();
        Drain();
    }

    /// <summary>Waits until the workers have hashed everything queued and stopped (after <see cref="Complete"/>; tests).</summary>
    public void Drain()
    {
        foreach (var worker in _workers) worker.Join();
    }

    private void Work()
    {
        foreach (var file in _queue.GetConsumingEnumerable())
        {
            if (_cancelled) continue;
            try
            {
                _hash(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left to the hasher's own pass, which reports it (see the remarks).
            }
        }
    }
}
