using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace ContainerImage.Model;

/// <summary>
/// An immutable list that compares by its elements, so records that hold lists compare by value.
/// </summary>
/// <typeparam name="T">The element type; its own equality decides list equality.</typeparam>
// Without a collection builder, a collection expression ('Secrets = [secret]') compiles to calls of
// the immutable Add, whose results are discarded: the list would silently stay empty.
[CollectionBuilder(typeof(ValueArray), nameof(ValueArray.FromSpan))]
public readonly struct ValueArray<T> : IEquatable<ValueArray<T>>, IReadOnlyList<T>
{
    private readonly ImmutableArray<T> _items;

    /// <summary>Creates a list holding <paramref name="items"/> in order.</summary>
    public ValueArray(IEnumerable<T> items) => _items = items.ToImmutableArray();

    /// <summary>An empty list.</summary>
    public static ValueArray<T> Empty => new(Array.Empty<T>());

    /// <summary>The items (never default).</summary>
    public ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    /// <inheritdoc/>
    public int Count => Items.Length;

    /// <inheritdoc/>
    public T this[int index] => Items[index];

    /// <summary>A new list with <paramref name="item"/> appended.</summary>
    public ValueArray<T> Add(T item) => new(Items.Add(item));

    /// <inheritdoc/>
    public bool Equals(ValueArray<T> other) => Items.SequenceEqual(other.Items);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(ValueArray<T> left, ValueArray<T> right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(ValueArray<T> left, ValueArray<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Items) + "]";

    /// <summary>Wraps an array.</summary>
    public static implicit operator ValueArray<T>(T[] items) => new(items);
}

/// <summary>Factory helpers for <see cref="ValueArray{T}"/>.</summary>
public static class ValueArray
{
    /// <summary>Creates a list from <paramref name="items"/>.</summary>
    public static ValueArray<T> Create<T>(params T[] items) => new(items);

    /// <summary>Creates a list from a span (what collection expressions such as <c>[a, b]</c> call).</summary>
    public static ValueArray<T> FromSpan<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    /// <summary>Creates a list from a sequence.</summary>
    public static ValueArray<T> ToValueArray<T>(this IEnumerable<T> items) => new(items);
}
