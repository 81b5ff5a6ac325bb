namespace ContainerImage.Build;

/// <summary>
/// A chunk of a large folder that the build copied with <c>COPY --link</c> (docs/performance.md, "Large source
/// folders"). A linked layer is built on an empty filesystem, so the SDK rewrites its tar (see <see cref="TarRewrite"/>)
/// until the image's filesystem is the one the plain chunks give.
/// </summary>
/// <param name="Source">The context path as written in the Dockerfile, e.g. <c>layers/1/part3/</c>.</param>
/// <param name="Destination">The absolute folder it was copied into, e.g. <c>/home/app/</c>.</param>
/// <param name="PlainSource">The same folder's first chunk, copied without <c>--link</c> (e.g. <c>layers/1/part0/</c>), whose entries' owner the linked ones take.</param>
public sealed record LinkedChunk(string Source, string Destination, string PlainSource);
