using System.Collections.Concurrent;

namespace ContainerImage.Context;

/// <summary>
/// Hashes files while the plan is still walking the rest of the tree (a cold identifier: walk and hashing overlap
/// instead of running one after the other). The walker hands over each top-level folder's files as soon as it has
/// listed them; one thread per core reads and hashes them into the <see cref="FileHasher"/>'s in-memory entries, where
/// <see cref="FileHasher.Hash"/> then finds them. Dedicated threads, not the thread pool: the walk's own parallel
/// loop occupies the pool's threads, and queued hashing would only start once the walk is over.
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

    /// <summary>Starts one worker per core that passes each queued file to <paramref name="hash"/>.</summary>
    public FilePrefetch(Action<WalkedFile> hash)
    {
        _hash = hash;
        _workers = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => new Thread(Work) { IsBackground = true, Name = "cimg-hash-prefetch" })
            .ToArray();
        foreach (var worker in _workers) worker.Start();
    }

    /// <summary>Queues <paramref name="files"/>, largest first (a big file started last would finish alone).</summary>
    public void Add(IReadOnlyList<WalkedFile> files)
    {
        if (_cancelled) return;
        foreach (var file in files.OrderByDescending(f => f.Length)) _queue.Add(file);
    }

    /// <summary>No more files will come: the workers finish the queue and stop.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>Drops what is still queued and waits for the workers (the plan failed: nothing may run on after it).</summary>
    public void Cancel()
    {
        _cancelled = true;
        Complete();
        Wait();
    }

    /// <summary>Waits until every worker has stopped (after <see cref="Complete"/> or <see cref="Cancel"/>).</summary>
    public void Wait()
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
