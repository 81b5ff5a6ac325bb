using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Tasks;

// The image's base from the properties: ImageBaseUri, ImageDockerfile, ImageUvScript (with its install options) or the Debian default.
public static partial class ImageItemMapper
{
    private static readonly string[] BaseProperties = ["ImageBaseUri", "ImageDockerfile", "ImageUvScript"];

    private static readonly string[] UvScriptOnlyProperties =
        ["ImageUvScriptIndexUrl", "ImageUvScriptExtraIndexUrls", "ImageUvScriptPre", "ImageUvScriptExtraArgs", "ImageUvScriptSecrets"];

    private static readonly string[] DebianOnlyProperties = ["ImagePythonVersion", "ImageCoreLibrarySpec", "ImageDebianBaseImage", "ImageDebianAptPackages", "ImageUser"];

    private static Image MapBase(Func<string, string?> get, string projectDirectory, Dictionary<string, Secret> secrets)
    {
        var bases = BaseProperties.Where(p => get(p) is not null).ToList();
        if (bases.Count > 1)
        {
            throw Property(bases[1], new ImageDefinitionException(DiagnosticCodes.ConflictingBases, get("ImageName"), string.Join(", ", bases)));
        }
        if (get("ImageUvScript") is null && UvScriptOnlyProperties.FirstOrDefault(p => get(p) is not null) is { } uvOnly)
        {
            throw Property(uvOnly, new ImageDefinitionException(DiagnosticCodes.PropertyNeedsUvScriptBase, uvOnly));
        }
        var platforms = get("ImagePlatforms") is { } list
            ? BlameProperty("ImagePlatforms", () => Split(list).Select(Platform.Parse).ToList())
            : null;
        var python = get("ImagePythonVersion") is { } pv ? BlameProperty("ImagePythonVersion", () => PythonVersion.Parse(pv)) : (PythonVersion?)null;
        var installCore = ParseBool(get, "ImageInstallCoreLibrary", true);

        Image image;
        if (get("ImageBaseUri") is { } uri)
        {
            RefuseDebianOnly(get, "ImageBaseUri");
            image = BlameProperty("ImageBaseUri", () => Image.FromBase(uri, platforms: platforms));
        }
        else if (get("ImageDockerfile") is { } dockerfile)
        {
            RefuseDebianOnly(get, "ImageDockerfile");
            image = BlameProperty("ImageDockerfile", () => Image.FromDockerfile(HostPath(dockerfile, projectDirectory, "Dockerfile"), platforms: platforms));
        }
        else if (get("ImageUvScript") is { } script)
        {
            var options = UvScriptOptions(get, secrets);
            image = Blame(code => code switch
            {
                DiagnosticCodes.InvalidPlatformList => "ImagePlatforms",
                DiagnosticCodes.InvalidImageReference => "ImageDebianBaseImage",
                _ => "ImageUvScript",
            }, () => Image.FromUvScript(options: options, script: HostPath(script, projectDirectory, "uv script"), pythonVersion: python, installCoreLibrary: installCore,
                platforms: platforms, baseImageTemplate: get("ImageDebianBaseImage")));
            if (get("ImageCoreLibrarySpec") is { } spec)
            {
                image = BlameProperty("ImageCoreLibrarySpec", () => image.WithDebianBase(d => d with { CoreLibrarySpec = spec }));
            }
        }
        else
        {
            image = Blame(code => code switch
            {
                DiagnosticCodes.InvalidPlatformList => "ImagePlatforms",
                DiagnosticCodes.InvalidPipRequirement => "ImageCoreLibrarySpec",
                _ => "ImageDebianBaseImage",
            }, () => Image.FromDebianBase(python, installCore, platforms: platforms, coreLibrarySpec: get("ImageCoreLibrarySpec"),
                baseImageTemplate: get("ImageDebianBaseImage")));
        }

        if (get("ImageDebianAptPackages") is { } apt)
        {
            image = BlameProperty("ImageDebianAptPackages", () => image.WithDebianBase(d => d with { AptPackages = Split(apt).ToValueArray() }));
        }
        if (get("ImageUser") is { } user)
        {
            image = BlameProperty("ImageUser", () => image.WithDebianBase(d => d with { User = user }));
        }
        var installer = get("ImagePythonInstaller")?.ToLowerInvariant() switch
        {
            null or "uv" => PythonInstaller.Uv,
            "pip" => PythonInstaller.Pip,
            _ => throw Property("ImagePythonInstaller", new ImageDefinitionException(DiagnosticCodes.InvalidPythonInstaller, get("ImagePythonInstaller"))),
        };
        image = BlameProperty("ImageUvImage", () => image.WithPythonInstaller(installer, get("ImageUvImage")));
        if (get("ImageName") is { } name) image = BlameProperty("ImageName", () => image.WithName(name));
        image = BlameProperty("ImageRegistry", () => image.WithRegistry(get("ImageRegistry")));
        return BlameProperty("ImageTag", () => image.WithTag(get("ImageTag")));
    }

    // $(ImageUvScript*) index options, each checked against the property that declared it; null when none is
    // set, so the script header's own [tool.uv] settings apply unchanged.
    private static PipOptions? UvScriptOptions(Func<string, string?> get, Dictionary<string, Secret> secrets)
    {
        if (UvScriptOnlyProperties.All(p => get(p) is null)) return null;
        var indexUrl = get("ImageUvScriptIndexUrl");
        var extraIndexUrls = Split(get("ImageUvScriptExtraIndexUrls") ?? "").ToValueArray();
        var extraArgs = Split(get("ImageUvScriptExtraArgs") ?? "").ToValueArray();
        BlameProperty("ImageUvScriptIndexUrl", () => new PipOptions { IndexUrl = indexUrl }.Validate());
        BlameProperty("ImageUvScriptExtraIndexUrls", () => new PipOptions { ExtraIndexUrls = extraIndexUrls }.Validate());
        BlameProperty("ImageUvScriptExtraArgs", () => new PipOptions { ExtraArgs = extraArgs }.Validate());
        var secretIds = Split(get("ImageUvScriptSecrets") ?? "").ToList();
        var unknown = secretIds.FirstOrDefault(id => !secrets.ContainsKey(id));
        if (unknown is not null)
        {
            throw Property("ImageUvScriptSecrets", new ImageDefinitionException(DiagnosticCodes.UnknownUvScriptSecret, unknown));
        }
        return new PipOptions
        {
            IndexUrl = indexUrl,
            ExtraIndexUrls = extraIndexUrls,
            Pre = ParseBool(get, "ImageUvScriptPre", false),
            ExtraArgs = extraArgs,
            Secrets = secretIds.Select(id => secrets[id]).ToValueArray(),
        };
    }

    private static void RefuseDebianOnly(Func<string, string?> get, string baseProperty)
    {
        var misplaced = DebianOnlyProperties.FirstOrDefault(p => get(p) is not null);
        if (misplaced is not null)
        {
            throw Property(misplaced, new ImageDefinitionException(DiagnosticCodes.PropertyNeedsDebianBase, misplaced, baseProperty));
        }
    }

    private static bool ParseBool(Func<string, string?> get, string property, bool defaultValue)
    {
        var value = get(property);
        if (value is null) return defaultValue;
        if (bool.TryParse(value, out var result)) return result;
        throw Property(property, new ImageDefinitionException(DiagnosticCodes.InvalidProperty, property, value, "use 'true' or 'false'"));
    }
}
