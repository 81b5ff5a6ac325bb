namespace ContainerImage.Tasks;

/// <summary>
/// The inputs walk of <see cref="ComputeImageInputsStamp"/>, started early: during `dotnet publish`'s restore pass
/// the stamp task (with <c>StartOnly</c>) lists the input files on a thread-pool thread, so the walk of a large
/// source folder overlaps the evaluation of the build that follows in the same process. The real stamp run takes
/// that list only for the same definition key and within <see cref="MaxAge"/>; anything else (no walk, another key,
/// a failed walk, an old one) and it walks as it always did, so the stamp is the same with or without it.
/// </summary>
/// <remarks>
/// A list taken early describes the files as they were when the walk ran, a moment before the stamp: a file
/// changed in between changes the next build's stamp, as a change during any build would.
/// </remarks>
public static class InputsWalkPrefetch
{
    /// <summary>A walk older than this is not used (an MSBuild node lives on between builds).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private static readonly object s_gate = new();
    private static Pending? s_pending;

    private sealed record Pending(string Key, Task<IReadOnlyList<string>?> Walk, DateTime StartedUtc);

    /// <summary>
    /// Starts <paramref name="walk"/> for <paramref name="key"/> on the thread pool, replacing any earlier one. The
    /// walk never faults: an exception becomes "no list", and the stamp then walks itself and reports what failed.
    /// </summary>
    public static void Start(string key, Func<IReadOnlyList<string>> walk)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(walk);
        var task = Task.Run<IReadOnlyList<string>?>(() =>
        {
            try
            {
                return walk();
            }
            catch (Exception)
            {
                return null;
            }
        });
        lock (s_gate) s_pending = new Pending(key, task, DateTime.UtcNow);
    }

    /// <summary>
    /// The list walked for <paramref name="key"/>, waiting for it if it is still running; null when none was
    /// started for this key, it failed, or it is older than <see cref="MaxAge"/>. Consumed once.
    /// </summary>
    public static IReadOnlyList<string>? TryTake(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Pending? pending;
        lock (s_gate)
        {
            pending = s_pending;
            if (pending is null || pending.Key != key) return null;
            s_pending = null;
        }
        if (DateTime.UtcNow - pending.StartedUtc > MaxAge) return null;
        return pending.Walk.GetAwaiter().GetResult();
    }
}
