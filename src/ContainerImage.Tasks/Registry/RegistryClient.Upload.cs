using System.Net;
using System.Net.Http.Headers;

namespace ContainerImage.Registry;

/// <summary>Blob uploads: which blobs the registry lacks, and their monolithic upload (POST, then PUT with the digest).</summary>
public sealed partial class RegistryClient
{
    /// <summary>How many blobs are uploaded at once: enough to hide round trips, few enough not to starve a shared link.</summary>
    private const int ParallelUploads = 3;

    /// <summary>
    /// The slowest transfer rate taken as alive: a blob's PUT may last <see cref="RegistryOptions.Timeout"/> plus
    /// its size at this rate, since the per-request timeout is meant for answers, not for sending a 1 GB layer.
    /// </summary>
    private const double SlowestBytesPerSecond = 1024 * 1024;

    /// <summary>Uploads every blob of <paramref name="layout"/> that the repository lacks. Returns how many were sent, how many it had, and the bytes sent.</summary>
    private async Task<(int Sent, int Had, long Bytes)> PushBlobsAsync(OciLayout layout, PushTarget target, CancellationToken cancellationToken)
    {
        var missing = new List<OciDescriptor>();
        // One at a time: the first answer may be a challenge, and the session authenticates once before the uploads share it.
        foreach (var blob in layout.Blobs)
        {
            if (!await HasBlobAsync(target, blob, cancellationToken)) missing.Add(blob);
        }
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = ParallelUploads, CancellationToken = cancellationToken },
            async (blob, ct) => await UploadBlobAsync(layout, target, blob, ct));
        return (missing.Count, layout.Blobs.Count - missing.Count, missing.Sum(b => b.Size));
    }

    private static async Task<bool> HasBlobAsync(PushTarget target, OciDescriptor blob, CancellationToken cancellationToken)
    {
        using var response = await target.SendAsync(HttpMethod.Head, target.Endpoint.BlobUri(blob.Digest), null, null, $"the blob {blob.Digest}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await target.RequireAsync(response, HttpStatusCode.OK, $"the blob {blob.Digest}", cancellationToken);
        return true;
    }

    private async Task UploadBlobAsync(OciLayout layout, PushTarget target, OciDescriptor blob, CancellationToken cancellationToken)
    {
        var what = $"the upload of blob {blob.Digest}";
        var start = new Uri(target.Endpoint.BaseUri, $"v2/{target.Endpoint.Repository}/blobs/uploads/");
        Uri location;
        using (var started = await target.SendAsync(HttpMethod.Post, start, () => new ByteArrayContent([]), null, what, cancellationToken))
        {
            await target.RequireAsync(started, HttpStatusCode.Accepted, what, cancellationToken);
            if (started.Headers.Location is not { } given) throw target.Failure($"no Location in the answer to the start of {what}");
            // The Location may be relative to the request; its query (an upload state) must be kept.
            location = WithDigest(given.IsAbsoluteUri ? given : new Uri(start, given), blob.Digest);
        }
        var path = layout.BlobPath(blob.Digest);
        var timeout = Options.Timeout + TimeSpan.FromSeconds(blob.Size / SlowestBytesPerSecond);
        using var finished = await target.SendAsync(HttpMethod.Put, location, () =>
        {
            // Opened for each attempt, so a retried PUT sends the whole blob again.
            var content = new StreamContent(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan), 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = blob.Size;
            return content;
        }, timeout, what, cancellationToken);
        await target.RequireAsync(finished, HttpStatusCode.Created, what, cancellationToken);
    }

    /// <summary><paramref name="location"/> with <c>digest=</c> added to whatever query it already has.</summary>
    internal static Uri WithDigest(Uri location, string digest)
    {
        var builder = new UriBuilder(location);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + "digest=" + Uri.EscapeDataString(digest);
        return builder.Uri;
    }
}
