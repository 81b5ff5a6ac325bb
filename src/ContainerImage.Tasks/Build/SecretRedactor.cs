using ContainerImage.Model;

namespace ContainerImage.Build;

/// <summary>
/// Replaces the values of a build's secrets with <c>***</c> in each output line. buildx never prints
/// them itself; this is the second fence for a RUN step that echoes one by mistake, so the value
/// reaches neither the log nor the error message.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>Values shorter than this are left alone: masking "1" or "yes" would garble the log and hide nothing.</summary>
    internal const int MinimumLength = 4;
    private const long MaxSecretFileBytes = 64 * 1024;
    private readonly IReadOnlyList<string> _values;

    private SecretRedactor(IReadOnlyList<string> values) => _values = values;

    /// <summary>A redactor for the values the build machine holds for <paramref name="secrets"/>.</summary>
    public static SecretRedactor For(IEnumerable<Secret> secrets, Func<string, string?>? getEnvironmentVariable = null)
    {
        var read = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var values = new List<string>();
        foreach (var secret in secrets)
        {
            var value = secret.SourceKind == SecretSourceKind.EnvironmentVariable ? read(secret.Source) : ReadSmallFile(secret.Source);
            if (value is null) continue;
            foreach (var candidate in new[] { value, value.TrimEnd('\r', '\n') })
            {
                if (candidate.Length >= MinimumLength && !values.Contains(candidate)) values.Add(candidate);
            }
        }
        // Longest first, so a value that contains another is masked whole.
        return new SecretRedactor([.. values.OrderByDescending(v => v.Length)]);
    }

    /// <summary>The line with every secret value replaced.</summary>
    public string Redact(string line)
    {
        foreach (var value in _values)
        {
            if (line.Contains(value, StringComparison.Ordinal)) line = line.Replace(value, "***", StringComparison.Ordinal);
        }
        return line;
    }

    private static string? ReadSmallFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxSecretFileBytes ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
