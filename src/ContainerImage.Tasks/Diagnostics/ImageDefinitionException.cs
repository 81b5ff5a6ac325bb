namespace ContainerImage.Diagnostics;

/// <summary>
/// A definition or input the model refuses, with its <c>CIMGnnnn</c> code. The MSBuild adapter turns
/// it into an error at the offending item's file and line; C# callers catch it.
/// </summary>
public class ImageDefinitionException : Exception
{
    /// <summary>Creates the exception from a code in <see cref="DiagnosticCodes"/> and the message arguments.</summary>
    public ImageDefinitionException(string code, params object?[] args)
        : base(DiagnosticMessages.Format(code, args))
    {
        Code = code;
    }

    /// <summary>The diagnostic code, e.g. <c>CIMG2001</c>.</summary>
    public string Code { get; }

    /// <summary>
    /// The position of the offending layer in the image's layer list, or <c>null</c> when the
    /// problem is with the image as a whole. Lets front doors point at the item that declared it.
    /// </summary>
    public int? LayerIndex { get; init; }
}

/// <summary>One problem found by <c>Image.Check()</c>.</summary>
/// <param name="Code">The diagnostic code.</param>
/// <param name="Message">The full message, starting with the code.</param>
/// <param name="LayerIndex">The offending layer's index, or <c>null</c> for the image as a whole.</param>
public sealed record ImageProblem(string Code, string Message, int? LayerIndex)
{
    /// <summary>Creates a problem from a code and its message arguments.</summary>
    public static ImageProblem Create(string code, int? layerIndex, params object?[] args)
        => new(code, DiagnosticMessages.Format(code, args), layerIndex);
}

/// <summary>Thrown by <c>Image.Validate()</c> when <c>Check()</c> finds problems.</summary>
public sealed class ImageValidationException : ImageDefinitionException
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public ImageValidationException(IReadOnlyList<ImageProblem> problems)
        : base(problems[0].Code, Array.Empty<object?>())
    {
        Problems = problems;
    }

    /// <summary>Every problem found, in layer order.</summary>
    public IReadOnlyList<ImageProblem> Problems { get; }

    /// <inheritdoc/>
    public override string Message => string.Join(Environment.NewLine, Problems.Select(p => p.Message));
}
