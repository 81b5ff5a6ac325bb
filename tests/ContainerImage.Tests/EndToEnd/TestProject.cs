namespace ContainerImage.Tests.EndToEnd;

/// <summary>
/// A temp copy of one testassets/ project wired to the packed SDK (nuget.config + global.json), built
/// with the dotnet CLI. Each run writes a binlog beside the copy; the copy (and its binlogs) is kept
/// when the test fails.
/// </summary>
internal sealed class TestProject
{
    private int _runs;

    private TestProject(string directory, string projectFile, PackedSdk sdk)
    {
        Directory = directory;
        ProjectFile = projectFile;
        Sdk = sdk;
    }

    /// <summary>The copy's folder.</summary>
    public string Directory { get; }

    /// <summary>The copy's project file (or solution file, for a solution asset).</summary>
    public string ProjectFile { get; }

    /// <summary>The SDK package in use.</summary>
    public PackedSdk Sdk { get; }

    /// <summary>Copies testassets/<paramref name="asset"/> to a new temp folder and points it at the packed SDK.</summary>
    public static TestProject Copy(string asset)
    {
        var sdk = SdkPackage.Get();
        var source = Path.Combine(Repository.Root, "testassets", asset);
        var directory = Path.Combine(sdk.Root, "projects", asset + "-" + Guid.NewGuid().ToString("N")[..8]);
        CopyDirectory(source, directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="containerimage-e2e" value="{sdk.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "global.json"),
            $$"""{ "msbuild-sdks": { "ContainerImage.Sdk": "{{sdk.Version}}" } }""");
        // An asset is one project, or a solution whose projects sit in subfolders (testassets/parallel).
        var projects = System.IO.Directory.GetFiles(directory, "*.csproj");
        var project = projects.Length == 1 ? projects[0] : System.IO.Directory.GetFiles(directory, "*.sln").Single();
        return new TestProject(directory, project, sdk);
    }

    /// <summary>Runs <c>dotnet &lt;arguments&gt;</c> on the project with a binlog.</summary>
    public ProcessResult Dotnet(params string[] arguments) => DotnetWithEnvironment(null, arguments);

    /// <summary>Runs <c>dotnet &lt;arguments&gt;</c> with extra environment variables.</summary>
    public ProcessResult DotnetWithEnvironment(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var binlog = Path.Combine(Directory, $"run{++_runs}.binlog");
        string[] all = [.. arguments, ProjectFile, "-nodeReuse:false", "--disable-build-servers", "-bl:" + binlog];
        return DotNet.Run(Directory, all, Sdk.NuGetPackages, environment);
    }

    /// <summary>A file in the image's obj/ folder.</summary>
    public string ImageFile(string imageName, string file) => Path.Combine(Directory, "obj", "containerimage", imageName, file);

    /// <summary>Deletes the copy.</summary>
    public void Delete()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    private static void CopyDirectory(string source, string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (var file in System.IO.Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            var target = Path.Combine(destination, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
