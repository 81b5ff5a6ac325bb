using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Context;

/// <summary>PLACEHOLDER CONTRACT (replaced by the context work): finds missing or bad inputs.</summary>
public static class InputChecker
{
    /// <summary>Every problem with the image's declared inputs, in layer order.</summary>
    public static IReadOnlyList<ImageProblem> Check(Image image, bool checkSecretSources) => throw new InvalidOperationException("placeholder contract");
}
