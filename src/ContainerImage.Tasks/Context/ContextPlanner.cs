using ContainerImage.Model;

namespace ContainerImage.Context;

/// <summary>PLACEHOLDER CONTRACT (replaced by the context work): computes an image's <see cref="ContextPlan"/>.</summary>
public static class ContextPlanner
{
    /// <summary>Computes the plan: walks folders, applies ignore rules, follows requirement includes.</summary>
    public static ContextPlan Plan(Image image) => throw new InvalidOperationException("placeholder contract");
}
