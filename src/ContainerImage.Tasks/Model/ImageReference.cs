using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Model;

/// <summary>
/// A parsed image reference <c>[registry/]repository[:tag][@digest]</c>, following the grammar of
/// the distribution project's reference package: the first component is a registry when it holds a
/// '.' or ':' or is <c>localhost</c>.
/// </summary>
public sealed partial record ImageReference
{
    private ImageReference(string? registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host[:port], or <c>null</c> for Docker Hub short names.</summary>
    public string? Registry { get; }

    /// <summary>The repository path, e.g. <c>library/debian</c> or <c>team/app</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, when given.</summary>
    public string? Tag { get; }

    /// <summary>The digest (<c>sha256:...</c>), when given.</summary>
    public string? Digest { get; }

    /// <summary>Parses a full reference (with a tag or a digest); throws <see cref="DiagnosticCodes.InvalidImageReference"/>.</summary>
    public static ImageReference Parse(string text)
        => TryParse(text, out var reference) && (reference.Tag is not null || reference.Digest is not null)
            ? reference
            : throw new ImageDefinitionException(DiagnosticCodes.InvalidImageReference, text);

    /// <summary>Parses a reference whose tag and digest are optional.</summary>
    public static bool TryParse(string? text, out ImageReference reference)
    {
        reference = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 512) return false;
        string rest = text;
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!ImageNames.IsDigest(digest)) return false;
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!ImageNames.IsTag(tag)) return false;
        }
        string? registry = null;
        var firstSlash = rest.IndexOf('/');
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                registry = first;
                rest = rest[(firstSlash + 1)..];
                if (!ImageNames.IsRegistryHost(registry)) return false;
            }
        }
        if (!ImageNames.IsRepository(rest)) return false;
        reference = new ImageReference(registry, rest, tag, digest);
        return true;
    }

    /// <summary>This reference with <paramref name="digest"/> (tag kept); throws <see cref="DiagnosticCodes.InvalidDigest"/> for a malformed digest.</summary>
    public ImageReference WithDigest(string digest)
        => ImageNames.IsDigest(digest) ? new ImageReference(Registry, Repository, Tag, digest)
            : throw new ImageDefinitionException(DiagnosticCodes.InvalidDigest, digest ?? "");

    /// <summary>The reference as text, in canonical order.</summary>
    public override string ToString()
        => (Registry is null ? "" : Registry + "/") + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}

/// <summary>Validation rules for registries, repository names, tags and digests.</summary>
public static partial class ImageNames
{
    /// <summary>True for a repository path: lowercase components joined by '/'.</summary>
    public static bool IsRepository(string? name) => name is { Length: > 0 and <= 255 } && Repository().IsMatch(name);

    /// <summary>True for a tag: up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'.</summary>
    public static bool IsTag(string? tag) => tag is not null && Tag().IsMatch(tag);

    /// <summary>True for <c>sha256:</c> followed by 64 lowercase hex digits.</summary>
    public static bool IsDigest(string? digest) => digest is not null && Digest().IsMatch(digest);

    /// <summary>True for a host with an optional port.</summary>
    public static bool IsRegistryHost(string? host) => host is { Length: > 0 and <= 255 } && Host().IsMatch(host);

    /// <summary>True for a registry: a host with optional port and an optional repository prefix path.</summary>
    public static bool IsRegistry(string? registry)
    {
        if (string.IsNullOrEmpty(registry)) return false;
        var slash = registry.IndexOf('/');
        return slash < 0
            ? IsRegistryHost(registry)
            : IsRegistryHost(registry[..slash]) && IsRepository(registry[(slash + 1)..]);
    }

    /// <summary>Throws <see cref="DiagnosticCodes.InvalidImageName"/> unless <paramref name="name"/> is a repository name.</summary>
    public static string ValidateName(string name)
        => IsRepository(name) ? name : throw new ImageDefinitionException(DiagnosticCodes.InvalidImageName, name);

    /// <summary>Throws <see cref="DiagnosticCodes.InvalidRegistry"/> unless valid; <c>null</c> or empty means none.</summary>
    public static string? ValidateRegistry(string? registry)
        => string.IsNullOrEmpty(registry) ? null
            : IsRegistry(registry.TrimEnd('/')) ? registry.TrimEnd('/')
            : throw new ImageDefinitionException(DiagnosticCodes.InvalidRegistry, registry);

    /// <summary>Throws <see cref="DiagnosticCodes.InvalidTag"/> unless valid; <c>null</c> or empty means none.</summary>
    public static string? ValidateTag(string? tag)
        => string.IsNullOrEmpty(tag) ? null
            : IsTag(tag) ? tag
            : throw new ImageDefinitionException(DiagnosticCodes.InvalidTag, tag);

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex Repository();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}\z")]
    private static partial Regex Digest();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?\z")]
    private static partial Regex Host();
}
