using System.Collections.Concurrent;
using ContainerImage.Diagnostics;
using ContainerImage.Tasks;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Counts what generated input led to: a coded error (by code), an accepted value whose Dockerfile
/// was checked, or anything else (a crash). Crashes are kept with their input for the failure message.
/// </summary>
internal sealed class HostileTally
{
    private readonly ConcurrentDictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _crashes = new();
    private int _tried;
    private int _accepted;

    public int Tried => _tried;
    public int Accepted => _accepted;
    public IReadOnlyList<string> Crashes => _crashes.ToArray();
    public IReadOnlyDictionary<string, int> Codes => _codes;

    /// <summary>Runs one input: <paramref name="attempt"/> either returns (accepted and checked) or throws.</summary>
    public void Try(string what, Action attempt)
    {
        Interlocked.Increment(ref _tried);
        try
        {
            attempt();
            Interlocked.Increment(ref _accepted);
        }
        catch (ImageDefinitionException e) when (IsCode(e.Code)) { _codes.AddOrUpdate(e.Code, 1, (_, n) => n + 1); }
        catch (ItemMappingException e) when (IsCode(e.Code)) { _codes.AddOrUpdate(e.Code, 1, (_, n) => n + 1); }
        catch (Exception e)
        {
            // Includes AssertFailedException from a Dockerfile check: an injection counts as a crash too.
            _crashes.Enqueue($"{what}: {e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("ContainerImage.", StringComparison.Ordinal))?.Trim()}");
        }
    }

    private static bool IsCode(string code) => code.Length == 8 && code.StartsWith("CIMG", StringComparison.Ordinal) && code[4..].All(char.IsAsciiDigit);

    /// <summary>The figures, one per line, for the test output and docs/reliability.md.</summary>
    public string Report(string title)
        => $"{title}: tried {Tried}, accepted {Accepted}, coded errors {Codes.Values.Sum()}, crashes/injections {Crashes.Count}\n"
           + string.Join("\n", Codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"  {c.Key}: {c.Value}"));
}
