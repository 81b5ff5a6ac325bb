using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>
/// Images and hand-made context plans for the golden and structural tests (the context planner is
/// another concern; these plans follow the layout conventions of <see cref="LayerContext"/>).
/// </summary>
internal static class DockerfileCases
{
    public static readonly Secret EnvSecret = Secret.AsEnvironmentVariable("index_token", "INDEX_TOKEN");
    public static readonly Secret FileSecret = Secret.AsFile("netrc", "/root/.netrc");
    public static readonly Secret SpacedFileSecret = Secret.AsFile("cert", "/run/my certs/ca.pem");

    /// <summary>Every golden case: name, image, plan, options.</summary>
    public static IEnumerable<(string Name, Image Image, ContextPlan Plan, ContainerImage.Dockerfile.DockerfileOptions Options)> All()
    {
        var plain = ContainerImage.Dockerfile.DockerfileOptions.Default;
        foreach (var installer in new[] { PythonInstaller.Uv, PythonInstaller.Pip })
        {
            var mode = installer.ToString().ToLowerInvariant();
            var debian = Image.FromDebianBase(PythonVersion.Parse("3.12")).WithPythonInstaller(installer);
            var existing = Image.FromBase("127.0.0.1:5000/local/python:3.11").WithPythonInstaller(installer);
            yield return ($"debian-{mode}-base-only", debian, EmptyPlan, plain);
            yield return ($"existing-{mode}-base-only", existing, EmptyPlan, plain);
            yield return ($"debian-{mode}-every-layer", WithEveryLayer(debian), EveryLayerPlan, plain);
            yield return ($"existing-{mode}-every-layer", WithEveryLayer(existing), EveryLayerPlan, plain);
        }
        var noCore = Image.FromDebianBase(PythonVersion.Parse("3.11"), installCoreLibrary: false)
            .WithDebianBase(d => d with { AptPackages = ValueArray<string>.Empty, User = "svc", UserId = 4242 });
        yield return ("debian-uv-no-core-no-apt-custom-user", noCore, EmptyPlan, plain);
        yield return ("existing-uv-commands-only", Image.FromBase("127.0.0.1:5000/local/busybox:static").WithCommands(["echo hi"]), EmptyPlan, plain);
        foreach (var app in AppImageCases.All()) yield return app;
        yield return ("debian-uv-syntax-and-env-secret-mounts", WithEveryLayer(Image.FromDebianBase(PythonVersion.Parse("3.12"))), EveryLayerPlan,
            new() { Syntax = "docker/dockerfile:1.10", SecretEnvironmentMounts = true });
        // A SourceFolder larger than its ChunkBytes: one chowned COPY per chunk, same destination.
        var chunked = Image.FromDebianBase(PythonVersion.Parse("3.12")).WithSourceFolder("/src/big", "/srv/big");
        var chunkedPlan = new ContextPlan(ValueArray.Create(Layer(0, null) with { Parts = ValueArray.Create("layers/0/part0", "layers/0/part1", "layers/0/part2") }),
            null, ValueArray<ContextFile>.Empty);
        yield return ("debian-uv-chunked-source-folder", chunked, chunkedPlan, plain);
    }

    public static ContextPlan EmptyPlan { get; } = new(ValueArray<LayerContext>.Empty, null, ValueArray<ContextFile>.Empty);

    /// <summary>One layer of each kind, each with all its options (indexes match <see cref="EveryLayerPlan"/>).</summary>
    public static Image WithEveryLayer(Image image)
    {
        var pipOptions = new PipOptions
        {
            IndexUrl = "https://pypi.example.test/simple",
            ExtraIndexUrls = ValueArray.Create("https://extra.example.test/simple", "http://127.0.0.1:8080/simple"),
            Pre = true,
            ExtraArgs = ValueArray.Create("--no-compile", "--config-settings=a b"),
            Secrets = ValueArray.Create(EnvSecret, FileSecret),
        };
        return image
            .WithDockerIgnore("/src/.dockerignore")                                                    // 0
            .WithAptPackages(["git", "curl=7.88.1-10", "libssl-dev/bookworm"], [FileSecret])          // 1
            .WithPipPackages(["requests>=2.31", "numpy==1.26.4", "pkg[extra] ; python_version >= '3.10'"], pipOptions) // 2
            .WithRequirements("/src/requirements/prod.txt", pipOptions with { Secrets = ValueArray.Create(EnvSecret) }) // 3
            .WithUvProject("/src/proj/pyproject.toml", options: pipOptions)                           // 4
            .WithSourceFolder("/src/app")                                                             // 5
            .WithSourceFolder("/src/data", "/srv/app data")                                           // 6
            .WithSourceFile("/src/tool.sh", ".")                                                      // 7
            .WithSourceFile("/src/run.sh", "/usr/local/bin/")                                         // 8
            .WithSourceFile("/src/settings.json", "/etc/app/settings.json")                           // 9
            .WithEnvVars([new("GREETING", "hello world"), new("TRICKY", "a $HOME \"q\" \\ ; 'x' ü")]) // 10
            .WithWorkdir("/srv/app data")                                                             // 11
            .WithCommands(["echo one && echo two", "python -c 'print(1 << 3)'"], [EnvSecret, SpacedFileSecret]); // 12
    }

    /// <summary>The plan for <see cref="WithEveryLayer"/>.</summary>
    public static ContextPlan EveryLayerPlan { get; } = new(
        ValueArray.Create(
            Layer(3, "prod.txt"),
            Layer(4, null, "anyio==4.4.0", "idna==3.7"),
            Layer(5, null),
            Layer(6, null),
            Layer(7, "layers/7/tool.sh"),
            Layer(8, "layers/8/run.sh"),
            Layer(9, "layers/9/file")),
        null,
        ValueArray<ContextFile>.Empty);

    public static LayerContext Layer(int index, string? entry, params string[] locked)
        => new(index, "layers/" + index, entry, ValueArray<ContextFile>.Empty, locked.ToValueArray());
}
