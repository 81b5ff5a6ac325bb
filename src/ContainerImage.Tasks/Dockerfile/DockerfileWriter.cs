using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>PLACEHOLDER CONTRACT (replaced by the Dockerfile work): writes an image's Dockerfile.</summary>
public static class DockerfileWriter
{
    /// <summary>The Dockerfile text for <paramref name="image"/> with its context laid out as <paramref name="plan"/> says.</summary>
    public static string Write(Image image, ContextPlan plan) => throw new InvalidOperationException("placeholder contract");
}
