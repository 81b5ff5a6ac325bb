using ContainerImage.Diagnostics;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

/// <summary>
/// A coded model error together with what in the project declared the offending value: an item
/// (ImageLayer or ImageSecret) or a property. The tasks turn it into an error at that element's line.
/// </summary>
public sealed class ItemMappingException : Exception
{
    /// <summary>Wraps <paramref name="inner"/>, blaming <paramref name="item"/> and/or <paramref name="propertyName"/>.</summary>
    public ItemMappingException(ImageDefinitionException inner, ItemOrigin? item, string? propertyName)
        : base(inner.Message, inner)
    {
        Code = inner.Code;
        Item = item;
        PropertyName = propertyName;
    }

    /// <summary>The diagnostic code.</summary>
    public string Code { get; }

    /// <summary>The offending item, when an item declared the value.</summary>
    public ItemOrigin? Item { get; }

    /// <summary>The offending property, when a property declared the value.</summary>
    public string? PropertyName { get; }
}

/// <summary>Which item element declared something: enough to find the element in its project file.</summary>
/// <param name="ItemType">ImageLayer or ImageSecret.</param>
/// <param name="Item">The item as MSBuild passed it.</param>
/// <param name="Kind">The ImageLayer's Kind (empty for secrets).</param>
/// <param name="Occurrence">How many earlier items of the same type and Kind had the same item spec (0 for the first):
/// the n-th such item is looked for in the n-th matching element.</param>
public sealed record ItemOrigin(string ItemType, ITaskItem Item, string Kind, int Occurrence);
