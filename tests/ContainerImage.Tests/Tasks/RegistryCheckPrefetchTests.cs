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
    public void ACheckStartedMomentsAgoForTheSameKeyIsKeptNotStartedAgain()
    {
        var key = RegistryCheckPrefetch.KeyOf("127.0.0.1:5000/a/img:kept", Amd64, Options);
        var first = 0;
        var second = 0;
        Assert.IsTrue(RegistryCheckPrefetch.Start(key, _ =>
        {
            Interlocked.Increment(ref first);
            return Task.FromResult(new ExistenceResult(ExistenceState.Exists, "sha256:" + new string('b', 64), null));
        }));
        Assert.IsFalse(RegistryCheckPrefetch.Start(key, _ =>
        {
            Interlocked.Increment(ref second);
            return Task.FromResult(new ExistenceResult(ExistenceState.Missing, null, "404"));
        }), "the restore pass's check stands when the stamp task asks again");
        Assert.AreEqual(ExistenceState.Exists, RegistryCheckPrefetch.TryTake(key, CancellationToken.None)?.State);
        Assert.AreEqual((1, 0), (first, second));
        // Taken: the next publish starts its own.
        Assert.IsTrue(RegistryCheckPrefetch.Start(key, _ => Task.FromResult(new ExistenceResult(ExistenceState.Missing, null, "404"))));
    }

    [TestMethod]
    public void OnlyAPushThatIsNeitherForcedNorADryRunStartsACheckFromTheLastDefinition()
    {
        var definition = Path.Combine(Path.GetTempPath(), "cimg-prefetch-" + Guid.NewGuid().ToString("N"), "image.json");
        Directory.CreateDirectory(Path.GetDirectoryName(definition)!);
        try
        {
            // Port 9 of the loopback: nothing listens, so a started check ends at once (and is never used).
            File.WriteAllText(definition, new ImageDefinitionRecord("127.0.0.1:9/cimg-prefetch/x:1", "x", "127.0.0.1:9", "Dockerfile", "context",
                ["linux/amd64"], []).ToJson());
            RegistryCheckPrefetch.Settings Push(string output = "push", string force = "false", string dryRun = "false", string timeout = "2")
                => new(output, force, dryRun, "", timeout, "0");
            Assert.IsNull(RegistryCheckPrefetch.StartForLastDefinition(definition + ".missing", Push()));
            Assert.IsNull(RegistryCheckPrefetch.StartForLastDefinition(definition, Push(output: "load")));
            Assert.IsNull(RegistryCheckPrefetch.StartForLastDefinition(definition, Push(force: "true")));
            Assert.IsNull(RegistryCheckPrefetch.StartForLastDefinition(definition, Push(dryRun: "true")));
            Assert.IsNull(RegistryCheckPrefetch.StartForLastDefinition(definition, Push(timeout: "nonsense")), "bad settings: PublishImage reports them");
            StringAssert.Contains(RegistryCheckPrefetch.StartForLastDefinition(definition, Push()), "started early");
            StringAssert.Contains(RegistryCheckPrefetch.StartForLastDefinition(definition, Push()), "already started early");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(definition)!, recursive: true);
        }
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
