using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>
/// What the model accepts in names, values, commands, packages and paths. Everything that reaches
/// a Dockerfile passes one of these rules when it enters the model, so the Dockerfile writer only
/// has to quote, never to judge (and nothing can change the meaning of the generated Dockerfile).
/// </summary>
public static partial class ValueRules
{
    /// <summary>True for a POSIX environment variable name.</summary>
    public static bool IsEnvironmentVariableName(string? name) => name is not null && EnvName().IsMatch(name);

    /// <summary>True when <paramref name="text"/> holds a newline, NUL or other control character (tab allowed).</summary>
    public static bool HasControlCharacter(string text) => text.Any(c => char.IsControl(c) && c != '\t');

    /// <summary>Checks an environment variable (name and value).</summary>
    public static void ValidateEnvironmentVariable(string name, string value)
    {
        if (!IsEnvironmentVariableName(name)) throw new ImageDefinitionException(DiagnosticCodes.InvalidEnvironmentVariableName, name);
        if (HasControlCharacter(value ?? "")) throw new ImageDefinitionException(DiagnosticCodes.InvalidEnvironmentVariableValue, name);
    }

    /// <summary>Checks a shell command for a RUN step: one line, not empty, no trailing line continuation.</summary>
    public static void ValidateCommand(string command)
    {
        string? why = null;
        if (string.IsNullOrWhiteSpace(command)) why = "it is empty";
        else if (HasControlCharacter(command)) why = "it contains a newline or control character; give each command as its own item, or join them with '&&'";
        else if (command.TrimEnd().EndsWith('\\')) why = "it ends with '\\', which would join it to the next Dockerfile line";
        else if (command.TrimStart().StartsWith("RUN ", StringComparison.OrdinalIgnoreCase)) why = "do not start it with RUN: each command becomes its own RUN step";
        if (why is not null) throw new ImageDefinitionException(DiagnosticCodes.InvalidCommand, command, why);
    }

    /// <summary>Checks an apt package name, optionally with <c>=version</c> or <c>/release</c>.</summary>
    public static void ValidateAptPackage(string package)
    {
        if (package is null || !AptPackage().IsMatch(package)) throw new ImageDefinitionException(DiagnosticCodes.InvalidAptPackage, package);
    }

    /// <summary>Checks a pip requirement specifier (PEP 508). It is shell-quoted when written, so only
    /// what no requirement can hold is refused: control characters, and a leading '-' (an option).</summary>
    public static void ValidatePipRequirement(string requirement)
    {
        string? why = null;
        if (string.IsNullOrWhiteSpace(requirement)) why = "it is empty";
        else if (HasControlCharacter(requirement)) why = "it contains a newline or control character";
        else if (requirement.TrimStart().StartsWith('-')) why = "it starts with '-'; pass installer options with ExtraArgs";
        else if (requirement.Length > 4096) why = "it is longer than 4096 characters";
        if (why is not null) throw new ImageDefinitionException(DiagnosticCodes.InvalidPipRequirement, requirement, why);
    }

    /// <summary>Checks a package index URL.</summary>
    public static void ValidateIndexUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")
            || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '\\'))
        {
            throw new ImageDefinitionException(DiagnosticCodes.InvalidIndexUrl, url);
        }
    }

    /// <summary>Checks an extra installer argument (shell-quoted when written).</summary>
    public static void ValidateInstallerArgument(string argument)
    {
        if (argument is null || HasControlCharacter(argument)) throw new ImageDefinitionException(DiagnosticCodes.InvalidInstallerArgument, argument);
    }

    /// <summary>
    /// True for a path inside the image that a Dockerfile can hold literally: not empty, no control
    /// characters, no '"', '\\' or '$' (COPY and WORKDIR expand variables), no '..' segment.
    /// </summary>
    public static bool IsSafePath(string path, out string reason)
    {
        reason = "";
        if (string.IsNullOrWhiteSpace(path)) reason = "it is empty";
        else if (HasControlCharacter(path)) reason = "it contains a newline or control character";
        else if (path.IndexOfAny(['"', '\\', '$', '`']) >= 0) reason = "it contains '\"', '\\', '`' or '$'";
        else if (path.Split('/').Contains("..")) reason = "it contains a '..' segment";
        else if (path.Length > 4096) reason = "it is longer than 4096 characters";
        return reason.Length == 0;
    }

    /// <summary>Throws <see cref="DiagnosticCodes.InvalidImagePath"/> unless <see cref="IsSafePath"/>.</summary>
    public static string ValidateImagePath(string path, string what)
        => IsSafePath(path, out var reason) ? path : throw new ImageDefinitionException(DiagnosticCodes.InvalidImagePath, path, what, reason);

    /// <summary>
    /// The full path of a file or folder on the build machine; a path nothing can exist at (empty,
    /// NUL, otherwise refused by the runtime) is <see cref="DiagnosticCodes.FileNotFound"/> naming it as
    /// <paramref name="what"/>, instead of the runtime's ArgumentException.
    /// </summary>
    public static string FullHostPath(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            throw new ImageDefinitionException(DiagnosticCodes.FileNotFound, what, path ?? "");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ImageDefinitionException(DiagnosticCodes.FileNotFound, what, path);
        }
    }

    /// <summary>Checks a user name or <c>uid[:gid]</c>.</summary>
    public static string ValidateUser(string user)
        => user is not null && User().IsMatch(user) ? user : throw new ImageDefinitionException(DiagnosticCodes.InvalidUser, user);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.\-]*(?::[a-z0-9][a-z0-9-]*)?(?:=[A-Za-z0-9.+~:\-]+|/[A-Za-z0-9.\-]+)?\z")]
    private static partial Regex AptPackage();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.\-]{0,31})?\z")]
    private static partial Regex User();
}
