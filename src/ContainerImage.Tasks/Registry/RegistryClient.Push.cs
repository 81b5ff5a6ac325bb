using System.Globalization;
using System.Net;
using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Registry;

/// <summary>
/// Pushing an <see cref="OciLayout"/> over the distribution API, without the Docker engine: for each repository
/// the tags name, the blobs the registry lacks are uploaded (a few at a time), then the manifests, children by
/// digest and the image by tag, each with its exact bytes, so the registry's digest is the layout's.
/// </summary>
public sealed partial class RegistryClient
{
    /// <summary>
    /// Pushes <paramref name="layout"/> under every tag in <paramref name="tags"/> (full references; each may
    /// name its own registry and repository), telling <paramref name="log"/> per repository how many blobs were
    /// sent and how many were already there. Throws CIMG3111 (the registry, repository and HTTP status or network
    /// failure) or CIMG3112 (the registry stored a manifest under another digest); cancellation throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<LayoutPushResult> PushLayoutAsync(OciLayout layout, IReadOnlyList<string> tags, Action<string> log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(log);
        if (tags.Count == 0) throw new ImageDefinitionException(DiagnosticCodes.BuildTagMissing, layout.Folder);
        var endpoints = tags.Select(tag => (Tag: tag, Endpoint: RegistryEndpoint.For(ImageReference.Parse(tag), Options.InsecureRegistries))).ToList();
        int uploaded = 0, present = 0;
        long bytes = 0;
        // Tags of one repository share its blobs and child manifests: those go once per repository.
        foreach (var repository in endpoints.GroupBy(e => (e.Endpoint.BaseUri, e.Endpoint.Repository)))
        {
            var first = repository.First();
            var session = new RegistrySession(_http, Options, first.Endpoint, ct => CredentialsFor(first.Endpoint, ct)) { Pushes = true };
            var target = new PushTarget(first.Tag, first.Endpoint, session);
            var (sent, had, sentBytes) = await PushBlobsAsync(layout, target, cancellationToken);
            log(string.Create(CultureInfo.InvariantCulture,
                $"pushed {sent} of {sent + had} blobs ({FormatBytes(sentBytes)}), {had} already in {first.Endpoint.Host}/{first.Endpoint.Repository}"));
            uploaded += sent;
            present += had;
            bytes += sentBytes;
            foreach (var child in layout.Manifests.Where(m => m.Descriptor.Digest != layout.Image.Digest))
            {
                await PutManifestAsync(target, child, child.Descriptor.Digest, cancellationToken);
            }
            var image = layout.Manifests.Single(m => m.Descriptor.Digest == layout.Image.Digest);
            foreach (var (tag, endpoint) in repository)
            {
                await PutManifestAsync(target with { Tag = tag }, image, endpoint.Reference, cancellationToken);
                log($"{tag}: digest: {layout.Image.Digest} size: {image.Content.Length}");
            }
        }
        return new LayoutPushResult(layout.Image.Digest, uploaded, present, bytes);
    }

    /// <summary>How often a manifest PUT answered DIGEST_INVALID is sent again (see <see cref="PutManifestAsync"/>).</summary>
    private const int DigestInvalidRetries = 3;

    /// <summary>
    /// PUTs one manifest or index under <paramref name="reference"/> (a digest or a tag), with its media type and exact
    /// bytes. A 400 DIGEST_INVALID is sent again after a pause, a few times: the bytes match their digest (the layout
    /// reader checked), and the distribution registry answers so when another client stores the same manifest at the
    /// same moment (it writes the blob in place while this request reads it back: seen with two projects publishing one
    /// image under -m).
    /// </summary>
    private static async Task PutManifestAsync(PushTarget target, OciLayoutManifest manifest, string reference, CancellationToken cancellationToken)
    {
        var uri = new Uri(target.Endpoint.BaseUri, $"v2/{target.Endpoint.Repository}/manifests/{reference}");
        var what = $"the manifest {manifest.Descriptor.Digest}";
        for (var attempt = 0; ; attempt++)
        {
            using var response = await target.SendAsync(HttpMethod.Put, uri, () =>
            {
                var content = new ByteArrayContent(manifest.Content);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(manifest.Descriptor.MediaType);
                return content;
            }, null, what, cancellationToken);
            if (attempt < DigestInvalidRetries && response.StatusCode == HttpStatusCode.BadRequest && await IsDigestInvalidAsync(response, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), cancellationToken);
                continue;
            }
            await target.RequireAsync(response, HttpStatusCode.Created, what, cancellationToken);
            RequireStoredDigest(target, manifest, response);
            return;
        }
    }

    private static async Task<bool> IsDigestInvalidAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync();
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"DIGEST_INVALID\"", StringComparison.Ordinal);
    }

    private static void RequireStoredDigest(PushTarget target, OciLayoutManifest manifest, HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && values.FirstOrDefault() is { } stored && stored != manifest.Descriptor.Digest)
        {
            throw new ImageDefinitionException(DiagnosticCodes.PushedDigestMismatch, target.Endpoint.Host, target.Tag, stored, manifest.Descriptor.Digest);
        }
    }

    /// <summary>"131 MB" / "12 kB" / "96 B": decimal units, as docker prints them.</summary>
    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
