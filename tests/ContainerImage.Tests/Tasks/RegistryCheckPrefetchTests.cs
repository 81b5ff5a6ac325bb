using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tasks;

namespace ContainerImage.Tests.Tasks;

/// <summary>
/// The early registry check (<see cref="RegistryCheckPrefetch"/>): its answer is used only for the same URI,
/// platforms and options, once, and only when definite; a failing check never throws or goes unobserved.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RegistryCheckPrefetchTests
{
    private static readonly RegistryOptions Options = new();
    private static readonly Platform[] Amd64 = [Platform.Parse("linux/amd64")];

    [TestInitialize]
    public void Reset() => RegistryCheckPrefetch.Clear();

    [TestCleanup]
    public void CleanUp() => RegistryCheckPrefetch.Clear();

    [TestMethod]
    public void AnAnswerPrefetchedForAnotherUriIsNotUsed()
    {
        var calls = 0;
        RegistryCheckPrefetch.Start(RegistryCheckPrefetch.KeyOf("127.0.0.1:5000/a/img:1", Amd64, Options), _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new ExistenceResult(ExistenceState.Exists, "sha256:" + new string('a', 64), null));
        });
        var other = RegistryCheckPrefetch.KeyOf("127.0.0.1:5000/a/img:2", Amd64, Options);
        Assert.IsNull(RegistryCheckPrefetch.TryTake(other, CancellationToken.None));
        // The prefetch for :1 is still there for a publish of :1, and is taken once.
        var same = RegistryCheckPrefetch.KeyOf("127.0.0.1:5000/a/img:1", Amd64, Options);
        Assert.AreEqual(ExistenceState.Exists, RegistryCheckPrefetch.TryTake(same, CancellationToken.None)?.State);
        Assert.IsNull(RegistryCheckPrefetch.TryTake(same, CancellationToken.None));
        Assert.AreEqual(1, calls);
    }

    [TestMethod]
    public void TheKeyHoldsPlatformsAsASetAndTheOptions()
    {
        var both = new[] { Platform.Parse("linux/amd64"), Platform.Parse("linux/arm64") };
        var key = RegistryCheckPrefetch.KeyOf("r/x:1", both, Options);
        Assert.AreEqual(key, RegistryCheckPrefetch.KeyOf("r/x:1", both.Reverse(), Options));
        Assert.AreNotEqual(key, RegistryCheckPrefetch.KeyOf("r/x:1", Amd64, Options));
        Assert.AreNotEqual(key, RegistryCheckPrefetch.KeyOf("r/x:1", both, Options with { Timeout = TimeSpan.FromSeconds(3) }));
        Assert.AreNotEqual(key, RegistryCheckPrefetch.KeyOf("r/x:1", both, Options with { Retries = 5 }));
        Assert.AreNotEqual(key, RegistryCheckPrefetch.KeyOf("r/x:1", both, Options with { InsecureRegistries = ["r"] }));
    }

    [TestMethod]
    public void AnUnknownOrFailedAnswerIsNotUsed()
    {
        var unknown = RegistryCheckPrefetch.KeyOf("r/x:unknown", Amd64, Options);
        RegistryCheckPrefetch.Start(unknown, _ => Task.FromResult(new ExistenceResult(ExistenceState.Unknown, null, "connection refused")));
        Assert.IsNull(RegistryCheckPrefetch.TryTake(unknown, CancellationToken.None));

        var failing = RegistryCheckPrefetch.KeyOf("r/x:throws", Amd64, Options);
        RegistryCheckPrefetch.Start(failing, _ => throw new HttpRequestException("boom"));
        Assert.IsNull(RegistryCheckPrefetch.TryTake(failing, CancellationToken.None));

        var missing = RegistryCheckPrefetch.KeyOf("r/x:missing", Amd64, Options);
        RegistryCheckPrefetch.Start(missing, _ => Task.FromResult(new ExistenceResult(ExistenceState.Missing, null, "404")));
        Assert.AreEqual(ExistenceState.Missing, RegistryCheckPrefetch.TryTake(missing, CancellationToken.None)?.State);
    }

    [TestMethod]
    public void WaitingIsCancelledWithThePublishAndCancelsThePrefetch()
    {
        var key = RegistryCheckPrefetch.KeyOf("r/x:slow", Amd64, Options);
        var prefetchCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        RegistryCheckPrefetch.Start(key, async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                prefetchCancelled.SetResult(true);
                throw;
            }
            return new ExistenceResult(ExistenceState.Exists, null, null);
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsExactly<TaskCanceledException>(() => RegistryCheckPrefetch.TryTake(key, cancellation.Token));
        Assert.IsTrue(prefetchCancelled.Task.Wait(TimeSpan.FromSeconds(10)), "the prefetch saw the cancellation");
    }

    [TestMethod]
    public void ARealPrefetchAgainstAClosedPortIsNotUsed()
    {
        // Nothing listens on port 9 of the loopback: the check fails fast and the caller checks itself.
        var options = new RegistryOptions { Timeout = TimeSpan.FromSeconds(2) };
        RegistryCheckPrefetch.Start("127.0.0.1:9/cimg-perf3/nothing:1", Amd64, options);
        Assert.IsNull(RegistryCheckPrefetch.TryTake(RegistryCheckPrefetch.KeyOf("127.0.0.1:9/cimg-perf3/nothing:1", Amd64, options), CancellationToken.None));
    }
}
