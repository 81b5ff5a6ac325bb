using ContainerImage.Diagnostics;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace ContainerImage.Tasks;

/// <summary>
/// Base of every ContainerImage task: no exception ever leaves <see cref="Execute"/> (so MSBuild never
/// reports MSB4018); coded model errors become MSBuild errors with their CIMG code at the project file
/// and line of the item or property that declared the offending value.
/// </summary>
public abstract class ImageTask : Task
{
    private ProjectFileLocator? _locator;

    /// <summary>The project being built (<c>$(MSBuildProjectFullPath)</c>).</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    /// <summary>Finds item and property elements in the project's files.</summary>
    protected ProjectFileLocator Locator => _locator ??= new ProjectFileLocator(ProjectFile);

    /// <inheritdoc/>
    public sealed override bool Execute()
    {
        try
        {
            return ExecuteCore() && !Log.HasLoggedErrors;
        }
        catch (ItemMappingException e)
        {
            var location = e.Item is not null ? Locator.Locate(e.Item)
                : e.PropertyName is not null ? Locator.LocateProperty(e.PropertyName)
                : new SourceLocation(ProjectFile, 0, 0);
            LogCoded(e.Code, e.Message, location);
        }
        catch (ImageValidationException e)
        {
            foreach (var problem in e.Problems) LogCoded(problem.Code, problem.Message, new SourceLocation(ProjectFile, 0, 0));
        }
        catch (ImageDefinitionException e)
        {
            LogCoded(e.Code, e.Message, new SourceLocation(ProjectFile, 0, 0));
        }
        catch (IOException e) when (Context.DiskFull.Is(e))
        {
            // A write outside OutputFiles (a cache, a link) hit a full disk: still the cause, coded.
            var error = Context.DiskFull.Error(e);
            LogCoded(error.Code, error.Message, new SourceLocation(ProjectFile, 0, 0));
        }
        catch (Exception e)
        {
            // Whatever went wrong, report it as ours, with a code, instead of letting MSBuild crash.
            LogCoded(DiagnosticCodes.UnexpectedTaskFailure,
                DiagnosticMessages.Format(DiagnosticCodes.UnexpectedTaskFailure, GetType().Name, e.GetType().Name + ": " + e.Message),
                new SourceLocation(ProjectFile, 0, 0));
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        return false;
    }

    /// <summary>The task's work; returns false (after logging) when it failed.</summary>
    protected abstract bool ExecuteCore();

    /// <summary>Logs a coded error (or warning) at <paramref name="location"/>.</summary>
    /// <param name="code">The CIMG code.</param>
    /// <param name="message">The full message; a leading "CODE: " is dropped since MSBuild prints the code itself.
    /// Passed without format arguments, so MSBuild does not treat braces in it as placeholders.</param>
    /// <param name="location">Where to point.</param>
    /// <param name="warning">Log a warning instead of an error.</param>
    protected void LogCoded(string code, string message, SourceLocation location, bool warning = false)
    {
        var prefix = code + ": ";
        var text = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        if (warning)
        {
            Log.LogWarning(null, code, null, location.File, location.Line, location.Column, 0, 0, text);
        }
        else
        {
            Log.LogError(null, code, null, location.File, location.Line, location.Column, 0, 0, text);
        }
    }
}
