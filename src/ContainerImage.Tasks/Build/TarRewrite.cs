using System.Globalization;

namespace ContainerImage.Build;

/// <summary>
/// What <see cref="TarTimestampClamp"/> changes in a layer besides its times, for a chunk copied with <c>COPY --link</c>:
/// a linked layer is built on an empty filesystem, so it carries directory entries for its destination and every folder
/// above it (which would replace the base image's own, e.g. <c>/home/app</c>, which <c>useradd</c> made the user's), and its entries
/// are owned by root (<c>--link</c> goes without <c>--chown</c>). The rewrite drops those directory entries (never a
/// file, never an entry below the destination) and gives every kept entry the owner of the plain chunk.
/// </summary>
/// <param name="Destination">The folder the chunk was copied into: its directory entry and its parents' are dropped; null drops nothing.</param>
/// <param name="Owner">The owner of every kept entry; null leaves the owners as they are.</param>
public sealed record TarRewrite(string? Destination, TarOwner? Owner)
{
    /// <summary>No rewrite: the times only.</summary>
    public static TarRewrite None { get; } = new(null, null);

    /// <summary>True when this changes nothing but the times.</summary>
    public bool IsNone => Destination is null && Owner is null;

    /// <summary>The normalized paths whose directory entries (typeflag '5') are dropped: the destination and every folder above it, the root too.</summary>
    internal IReadOnlySet<string> DroppedFolders() => Destination is null ? new HashSet<string>() : TarPaths.ChainOf(Destination);

    /// <summary>
    /// What names this rewrite in <c>retimed-layers.json</c>: empty for none, else the destination and the owner, so a
    /// plain and a linked conversion of the same input never share an entry.
    /// </summary>
    internal string CacheKeySuffix => IsNone
        ? ""
        : string.Create(CultureInfo.InvariantCulture,
            $"@{TarPaths.Normalize(Destination ?? "-")}@{Owner?.Uid.ToString(CultureInfo.InvariantCulture) ?? "-"}:{Owner?.Gid.ToString(CultureInfo.InvariantCulture) ?? "-"}:{Owner?.UserName ?? "-"}:{Owner?.GroupName ?? "-"}");
}
