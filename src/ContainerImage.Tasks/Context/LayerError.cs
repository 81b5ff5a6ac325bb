using ContainerImage.Diagnostics;

namespace ContainerImage.Context;

/// <summary>Builds coded errors that point at the layer they belong to, so front doors can name the item.</summary>
internal static class LayerError
{
    /// <summary>An <see cref="ImageDefinitionException"/> for <paramref name="code"/> at <paramref name="layerIndex"/>.</summary>
    public static ImageDefinitionException At(int? layerIndex, string code, params object?[] args)
        => new(code, args) { LayerIndex = layerIndex };
}
