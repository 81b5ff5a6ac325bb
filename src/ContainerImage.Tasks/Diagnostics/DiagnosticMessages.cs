using System.Globalization;
using System.Resources;

namespace ContainerImage.Diagnostics;

/// <summary>
/// Reads coded messages from <c>Strings.resx</c>. Each resource's name is its code and its text
/// starts with that code, the way the .NET SDK's container tasks word theirs.
/// </summary>
public static class DiagnosticMessages
{
    private static readonly ResourceManager Resources =
        new("ContainerImage.Diagnostics.Strings", typeof(DiagnosticMessages).Assembly);

    /// <summary>The resource manager, for MSBuild's <c>TaskLoggingHelper</c>.</summary>
    public static ResourceManager ResourceManager => Resources;

    /// <summary>The message for <paramref name="code"/>, formatted with <paramref name="args"/>.</summary>
    public static string Format(string code, params object?[] args)
    {
        var template = Resources.GetString(code, CultureInfo.InvariantCulture)
            ?? throw new InvalidOperationException($"No message for diagnostic code '{code}'.");
        return args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args);
    }
}
