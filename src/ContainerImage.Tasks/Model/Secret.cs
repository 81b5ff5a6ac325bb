using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>Where a secret's value comes from on the build machine.</summary>
public enum SecretSourceKind
{
    /// <summary>An environment variable of the build process.</summary>
    EnvironmentVariable,

    /// <summary>A file on the build machine.</summary>
    File,
}

/// <summary>
/// A BuildKit build secret used by a <c>RUN</c> step. Its VALUE never enters the model: only its id,
/// how the step sees it (an environment variable or a file path) and where the build machine reads it.
/// The source is left out of the identifier (it is a fact about the build machine, not the image).
/// </summary>
public sealed partial record Secret
{
    private Secret(string id, string? environmentVariable, string? mountPath, SecretSourceKind sourceKind, string source)
    {
        Id = id;
        EnvironmentVariable = environmentVariable;
        MountPath = mountPath;
        SourceKind = sourceKind;
        Source = source;
    }

    /// <summary>The BuildKit secret id.</summary>
    public string Id { get; }

    /// <summary>The environment variable the RUN step sees, when mounted as one.</summary>
    public string? EnvironmentVariable { get; }

    /// <summary>The absolute file path the RUN step sees, when mounted as a file.</summary>
    public string? MountPath { get; }

    /// <summary>Where the build machine reads the value from.</summary>
    public SecretSourceKind SourceKind { get; }

    /// <summary>The build machine's environment variable name, or file path.</summary>
    public string Source { get; }

    /// <summary>
    /// A secret exposed to the RUN step as environment variable <paramref name="environmentVariable"/>
    /// (default: the id), read on the build machine from environment variable
    /// <paramref name="sourceVariable"/> (default: the id), like the seed's <c>Secret(key=...)</c>.
    /// </summary>
    public static Secret AsEnvironmentVariable(string id, string? environmentVariable = null, string? sourceVariable = null)
    {
        ValidateId(id);
        var env = string.IsNullOrEmpty(environmentVariable) ? id : environmentVariable;
        if (!ValueRules.IsEnvironmentVariableName(env))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidSecretMount, id,
                $"'{env}' is not a valid environment variable name");
        }
        var source = string.IsNullOrEmpty(sourceVariable) ? id : sourceVariable;
        return new Secret(id, env, null, SecretSourceKind.EnvironmentVariable, source);
    }

    /// <summary>
    /// A secret exposed to the RUN step as a file at <paramref name="mountPath"/>, read on the build
    /// machine from environment variable <paramref name="sourceVariable"/> (default: the id), like
    /// the seed's <c>Secret(key=..., mount=...)</c>.
    /// </summary>
    public static Secret AsFile(string id, string mountPath, string? sourceVariable = null)
    {
        ValidateId(id);
        ValidateMountPath(id, mountPath);
        var source = string.IsNullOrEmpty(sourceVariable) ? id : sourceVariable;
        return new Secret(id, null, mountPath, SecretSourceKind.EnvironmentVariable, source);
    }

    /// <summary>A copy that reads the value from a file on the build machine instead.</summary>
    public Secret FromFile(string path)
        => string.IsNullOrWhiteSpace(path)
            ? throw new ImageDefinitionException(DiagnosticCodes.InvalidSecretMount, Id, "the source file path is empty")
            : new Secret(Id, EnvironmentVariable, MountPath, SecretSourceKind.File, path);

    /// <summary>A copy that reads the value from environment variable <paramref name="variable"/> of the build process.</summary>
    public Secret FromEnvironment(string variable)
        => !ValueRules.IsEnvironmentVariableName(variable)
            ? throw new ImageDefinitionException(DiagnosticCodes.InvalidSecretMount, Id, $"'{variable}' is not a valid environment variable name")
            : new Secret(Id, EnvironmentVariable, MountPath, SecretSourceKind.EnvironmentVariable, variable);

    /// <summary>True when the build machine has the value (the variable is set, or the file exists).</summary>
    public bool IsAvailable(Func<string, string?>? getEnvironmentVariable = null)
        => SourceKind == SecretSourceKind.File
            ? System.IO.File.Exists(Source)
            : !string.IsNullOrEmpty((getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(Source));

    private static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidSecretId, id);
        }
    }

    private static void ValidateMountPath(string id, string mountPath)
    {
        if (string.IsNullOrEmpty(mountPath) || !mountPath.StartsWith('/') || !ValueRules.IsSafePath(mountPath, out _))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidSecretMount, id,
                $"the mount path '{mountPath}' must be an absolute path without quotes, commas, '$' or control characters");
        }
        if (mountPath.Contains(','))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidSecretMount, id, "the mount path must not contain ','");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\\z")]
    private static partial Regex IdPattern();
}
