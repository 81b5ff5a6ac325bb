using System.Collections.Concurrent;
using System.Globalization;
using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Tasks;

/// <summary>
/// The registry existence check of a publish, started early: <see cref="StartImageRegistryCheck"/> (during
/// `dotnet publish`'s restore pass, or as the first target of PublishContainerImage) starts the check of the URI
/// of the last definition on a thread-pool thread, so the HTTP stack's JIT and the round trip overlap the
/// evaluation and the inputs walk on another core; <see cref="PublishImage"/> takes the answer only when it must
/// check exactly that URI, those platforms and those registry options, within <see cref="MaxAge"/>, and
/// only when it is a definite answer (exists or missing). Anything else (no prefetch, another key, a failed or
/// cancelled check, an old one) and PublishImage checks as it always did, so the result of a publish is the
/// same with or without a prefetch.
/// </summary>
public static partial class RegistryCheckPrefetch
{
    /// <summary>An answer older than this is not used (an MSBuild node lives on between builds).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A check of the same key started less than this ago is kept rather than started again: `dotnet publish`
    /// starts it during its restore pass and PublishContainerImage's first target asks again later in the same process.
    /// </summary>
    public static readonly TimeSpan ReuseWithin = TimeSpan.FromSeconds(10);

    // One pending check per key: the static outlives a build in a reused MSBuild node, hence consume-once and MaxAge.
    private static readonly ConcurrentDictionary<string, Pending> s_pending = new(StringComparer.Ordinal);

    private sealed record Pending(Task<ExistenceResult> Check, CancellationTokenSource Cancellation, DateTime StartedUtc);

    /// <summary>The key of a check: URI, platforms as a set, and the options that can change its answer.</summary>
    public static string KeyOf(string uri, IEnumerable<Platform> platforms, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(options);
        return string.Join('\n',
            uri,
            string.Join(',', platforms.Select(p => p.ToString()).Order(StringComparer.Ordinal)),
            options.Timeout.Ticks.ToString(CultureInfo.InvariantCulture),
            options.Retries.ToString(CultureInfo.InvariantCulture),
            string.Join(',', options.InsecureRegistries.Order(StringComparer.Ordinal)),
            options.DockerConfigPath ?? "");
    }

    /// <summary>
    /// Starts <paramref name="check"/> for <paramref name="key"/> on the thread pool, replacing any earlier one,
    /// unless one for the same key started less than <see cref="ReuseWithin"/> ago (then false: that one stands).
    /// The check never faults: an exception becomes an Unknown answer, so nothing goes unobserved.
    /// </summary>
    public static bool Start(string key, Func<CancellationToken, Task<ExistenceResult>> check)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(check);
        if (s_pending.TryGetValue(key, out var running) && DateTime.UtcNow - running.StartedUtc < ReuseWithin) return false;
        var cancellation = new CancellationTokenSource();
        var task = Task.Run(async () =>
        {
            try
            {
                return await check(cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return ExistenceResult.Unknown("prefetched check failed: " + e.GetType().Name);
            }
        });
        var pending = new Pending(task, cancellation, DateTime.UtcNow);
        s_pending.AddOrUpdate(key, pending, (_, old) => { Abandon(old); return pending; });
        return true;
    }

    /// <summary>
    /// Starts a check of <paramref name="uri"/> with a new <see cref="RegistryClient"/>. Retries are left to
    /// PublishImage's own check (its retry messages go to the build log): a prefetch that fails is not used.
    /// </summary>
    public static bool Start(string uri, IReadOnlyList<Platform> platforms, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Start(KeyOf(uri, platforms, options), async token =>
        {
            using var client = new RegistryClient(options with { Retries = 0, OnRetry = null, OnWarning = null });
            return await client.CheckAsync(uri, platforms, token).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Takes (removes) the prefetched answer for <paramref name="key"/>, waiting for it if it is still running.
    /// Null when there is none for this key, it is older than <see cref="MaxAge"/>, or its answer is not
    /// definite (Unknown): the caller then checks itself. Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled while waiting (the prefetch is cancelled too).
    /// </summary>
    public static ExistenceResult? TryTake(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!s_pending.TryRemove(key, out var pending)) return null;
        if (DateTime.UtcNow - pending.StartedUtc > MaxAge)
        {
            Abandon(pending);
            return null;
        }
        try
        {
            var result = pending.Check.WaitAsync(cancellationToken).GetAwaiter().GetResult();
            return result.State == ExistenceState.Unknown ? null : result;
        }
        catch (OperationCanceledException)
        {
            Abandon(pending);
            throw;
        }
        finally
        {
            if (pending.Check.IsCompleted) pending.Cancellation.Dispose();
        }
    }

    /// <summary>Drops every pending check (cancelling them); for tests.</summary>
    public static void Clear()
    {
        foreach (var key in s_pending.Keys)
        {
            if (s_pending.TryRemove(key, out var pending)) Abandon(pending);
        }
    }

    // Cancels a check nobody will read; its task never faults, and it disposes nothing still in use
    // (the token source is left to the finalizer if the check is still running).
    private static void Abandon(Pending pending)
    {
        try
        {
            pending.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished and disposed.
        }
    }
}
