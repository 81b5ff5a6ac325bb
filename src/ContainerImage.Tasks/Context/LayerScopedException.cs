using ContainerImage.Diagnostics;

namespace ContainerImage.Context;

/// <summary>
/// An <see cref="ImageDefinitionException"/> raised below the planner (e.g. by the requirements reader)
/// re-thrown with the index of the layer it belongs to, so front doors can point at the item.
/// </summary>
internal sealed class LayerScopedException : ImageDefinitionException
{
    private readonly string _message;

    public LayerScopedException(ImageDefinitionException inner, int layerIndex)
        : base(inner.Code, Array.Empty<object?>())
    {
        _message = inner.Message;
        LayerIndex = layerIndex;
    }

    public override string Message => _message;

    /// <summary>Runs <paramref name="action"/>, attaching <paramref name="layerIndex"/> to a coded error that has none.</summary>
    public static T Scope<T>(int layerIndex, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ImageDefinitionException e) when (e.LayerIndex is null)
        {
            throw new LayerScopedException(e, layerIndex);
        }
    }
}
