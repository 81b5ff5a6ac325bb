using ContainerImage.Context;
using ContainerImage.Diagnostics;
using ContainerImage.Dockerfile;
using ContainerImage.Model;
using CsCheck;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// A fixed (seeded) sample of <see cref="HostileText"/> values that the model ACCEPTS, shaped so that what
/// a real build must put in the image can be computed: environment values, working directories, commands
/// that write a declared text to a marker file, and file names copied from a source folder.
/// </summary>
internal sealed class HostileSample
{
    /// <summary>The folder in the image every sample writes under.</summary>
    public const string Root = "/cimg-sample";

    private HostileSample(IReadOnlyList<string> values) => Values = values;

    /// <summary>Every generated value, accepted or not (the candidates).</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Accepted environment values.</summary>
    public List<string> EnvValues { get; } = [];

    /// <summary>Accepted working directories.</summary>
    public List<string> Workdirs { get; } = [];

    /// <summary>Texts whose printf command the model accepted (the command writes exactly the text).</summary>
    public List<string> CommandTexts { get; } = [];

    /// <summary>File names the planner accepted in a source folder.</summary>
    public List<string> FileNames { get; } = [];

    /// <summary>How many candidates the model refused with a coded error (never a crash: the 12,000-value test covers that).</summary>
    public int Refused { get; private set; }

    /// <summary>
    /// <paramref name="count"/> values from the generator with a fixed seed (the same every run, so a failure
    /// can be replayed), each tried in every position and kept where the model accepts it.
    /// </summary>
    public static HostileSample Draw(ulong seed, int count)
    {
        var pcg = new PCG(7, seed);
        var values = Enumerable.Range(0, count).Select(_ => HostileText.Value.Generate(pcg, null, out Size _)).ToArray();
        var sample = new HostileSample(values);
        foreach (var value in values) sample.Classify(value);
        return sample;
    }

    /// <summary>The command that writes <paramref name="text"/> byte for byte to marker file <paramref name="index"/>.</summary>
    public static string PrintfCommand(string text, int index) => $"printf '%s' {DockerfileQuoting.Shell(text)} > {Root}/cmd-{index}";

    private void Classify(string value)
    {
        var probe = Image.FromBase(HostileModelTests.BusyboxBase);
        Keep(() => probe.WithEnvVars([new("HOSTILE", value)]), EnvValues, value);
        Keep(() => probe.WithWorkdir(value), Workdirs, value);
        // A working directory must be absolute: most generated text is not, so it is also tried under '/'.
        if (!value.StartsWith('/')) Keep(() => probe.WithWorkdir("/" + value), Workdirs, "/" + value);
        Keep(() => probe.WithCommands([PrintfCommand(value, 0)]), CommandTexts, value);
        // A file name the file system itself cannot hold never reaches the model.
        if (value.Length is > 0 and < 120 && value is not ("." or "..") && !value.Contains('/') && !value.Contains('\0')
            && System.Text.Encoding.UTF8.GetByteCount(value) < 250 && !FileNames.Contains(value))
        {
            Keep(() => PlanOneFile(value), FileNames, value);
        }
    }

    private void Keep(Func<object> attempt, List<string> accepted, string value)
    {
        try
        {
            attempt();
            accepted.Add(value);
        }
        catch (ImageDefinitionException)
        {
            Refused++;
        }
    }

    // The planner walks the disk: give it a real folder holding just that file.
    private static object PlanOneFile(string name)
    {
        using var folder = new Infrastructure.TempDirectory("cimg-hostile-name");
        File.WriteAllText(Path.Combine(folder.Path, name), name);
        var image = Image.FromBase(HostileModelTests.BusyboxBase).WithSourceFolder(folder.Path, Root + "/files");
        return DockerfileWriter.Write(image, ContextPlanner.Plan(image));
    }
}
