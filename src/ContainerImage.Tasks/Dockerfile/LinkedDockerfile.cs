using ContainerImage.Build;

namespace ContainerImage.Dockerfile;

/// <summary>
/// The Dockerfile a build uses when the SDK rewrites its layers (<see cref="DockerfileOptions.LinkChunks"/>): the same
/// steps as the image's Dockerfile, with the chunks after a large folder's first copied by <c>COPY --link</c>.
/// </summary>
/// <param name="Text">The Dockerfile text.</param>
/// <param name="Chunks">The linked chunks, which <see cref="LayerRetimer"/> must rewrite for the image to hold the declared folders.</param>
public sealed record LinkedDockerfile(string Text, IReadOnlyList<LinkedChunk> Chunks);
