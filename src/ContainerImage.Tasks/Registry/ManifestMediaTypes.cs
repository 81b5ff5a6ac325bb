namespace ContainerImage.Registry;

/// <summary>The manifest media types an existence check understands.</summary>
internal static class ManifestMediaTypes
{
    /// <summary>OCI image index (multi-platform).</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>OCI image manifest (one platform).</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>Docker manifest list (multi-platform).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker image manifest schema 2 (one platform).</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Every type we accept, in the order sent in <c>Accept</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    /// <summary>True for the two multi-platform kinds.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>True for the two single-platform kinds.</summary>
    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
