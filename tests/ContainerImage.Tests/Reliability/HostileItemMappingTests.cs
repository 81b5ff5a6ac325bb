using ContainerImage.Model;
using ContainerImage.Tasks;
using CsCheck;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Generated hostile item specs, metadata and properties through <see cref="ImageItemMapper"/>: each
/// ends in a coded ItemMappingException, or in an image whose Dockerfile holds exactly the declared
/// instructions with the declared values.
/// </summary>
[TestClass]
public sealed class HostileItemMappingTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly string[] Kinds = [.. ImageItemMapper.LayerKinds.Keys, "", "Bogus", "envvars", "Commands\n"];

    private static ITaskItem Item(string spec, string kind, IEnumerable<(string Name, string Value)> metadata)
    {
        // TaskItem refuses an empty spec itself (as MSBuild never creates one): give it a blank instead.
        // A NUL cannot appear in a project file (XML forbids it) but can through the task API: kept, it
        // must end in a coded error like any other path the runtime refuses.
        var item = new TaskItem(spec.Length == 0 ? " " : spec);
        if (kind.Length > 0) item.SetMetadata("Kind", kind);
        foreach (var (name, value) in metadata) item.SetMetadata(name, value);
        return item;
    }

    private static readonly Gen<(string Kind, string Spec, (string, string)[] Metadata, string Property, string PropertyValue)> Input =
        Gen.Select(Gen.OneOf(Kinds), HostileText.Value, HostileText.Value.Array[0, 3], Gen.OneOf([.. ImageItemMapper.DefinitionProperties, "ImageBaseUri"]), HostileText.Value)
            .Select((kind, spec, values, property, propertyValue) =>
            {
                var names = ImageItemMapper.LayerKinds.TryGetValue(kind, out var known) ? known : ["Value", "Command", "Secrets"];
                var metadata = values.Select((v, i) => (names.Length == 0 ? "Unknown" + i : names[i % names.Length], v)).ToArray();
                return (kind, spec, metadata, property, propertyValue);
            });

    [TestMethod]
    public void GeneratedHostileItemsAndPropertiesEndInCodedErrorsOrExactDockerfiles()
    {
        var tally = new HostileTally();
        Input.Sample((kind, spec, metadata, property, propertyValue) =>
        {
            var properties = new Dictionary<string, string?> { ["ImageBaseUri"] = HostileModelTests.BusyboxBase };
            // Half the time the hostile property replaces the base, half the time it is added beside it.
            properties[property] = propertyValue;
            var item = Item(spec, kind, metadata);
            tally.Try($"{kind} '{spec}' {HostileModelTests.Show(metadata.Select(m => m.Item1 + "=" + m.Item2).ToArray())} {property}={HostileModelTests.Show([propertyValue])}",
                () => Check(ImageItemMapper.Map(properties, [item], [], "/work/project"), item));
        }, iter: 10_000, threads: 1);
        TestContext.WriteLine(tally.Report("item mapping"));
        Assert.IsTrue(tally.Tried >= 10_000);
        Assert.AreEqual(0, tally.Crashes.Count, string.Join("\n", tally.Crashes.Take(10)));
        Assert.IsTrue(tally.Accepted > 200, "the generator reaches accepted declarations too");
    }

    // The value layers are written and read back; the others were accepted by the model's rules.
    private static void Check(MappedImage mapped, ITaskItem item)
    {
        var layer = mapped.Image.Layers.SingleOrDefault();
        // Layers with build-context files need a real plan (the planner reads the disk): the model test covers their values.
        if (mapped.Image.Base is not ExistingImageBase || layer is not (EnvVarsLayer or CommandsLayer or WorkdirLayer)) return;
        var instructions = HostileModelTests.LayerInstructions(mapped.Image);
        switch (layer)
        {
            case EnvVarsLayer env:
                Assert.AreEqual(item.GetMetadata("Value"), env.Variables[0].Value, "the declared value reaches the model unchanged");
                Assert.AreEqual(1, instructions.Count);
                var pair = DockerfileReader.Pairs(instructions[0].Body)!.Single();
                Assert.AreEqual(env.Variables[0].Name, pair.Key);
                Assert.AreEqual(env.Variables[0].Value, pair.Value);
                break;
            case CommandsLayer commands:
                var declared = item.GetMetadata("Command");
                // Blank metadata counts as not set (MSBuild's convention), so the Include is the command.
                Assert.AreEqual(string.IsNullOrWhiteSpace(declared) ? item.ItemSpec : declared, commands.Commands[0], "the declared command reaches the model unchanged");
                Assert.AreEqual(1, instructions.Count);
                Assert.AreEqual(0, instructions[0].Flags.Count);
                Assert.AreEqual(commands.Commands[0], HostileModelTests.RunScript(instructions[0]));
                break;
            case WorkdirLayer workdir:
                Assert.AreEqual(1, instructions.Count);
                Assert.AreEqual(workdir.Path, DockerfileReader.SingleQuotedWord(instructions[0].Body));
                break;
        }
    }
}
