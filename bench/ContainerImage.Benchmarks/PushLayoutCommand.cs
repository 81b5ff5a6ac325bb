using System.Diagnostics;
using System.Text.Json;
using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Benchmarks;

/// <summary>
/// What the SDK does after buildx wrote the OCI layout folder, for eng/bench-rebuild.sh:
/// <c>push-layout FOLDER REF</c> (the default reproducible push, mode <c>sdk</c>) reads the folder, pushes it to REF
/// with the SDK's registry client and cleans the folder's older blobs; <c>retime-push FOLDER REF</c>
/// (<c>ImageTimestampRewrite=Sdk</c>, mode <c>sdk-retime</c>) first re-times and gzips the new layers (once each) and
/// keeps the plain tars buildx skips next time; with a third argument, the chunks a linked Dockerfile linked
/// (<c>linked-chunks.json</c>), which it rewrites as the SDK's default push does. Prints the client's lines and the seconds.
/// </summary>
internal static class PushLayoutCommand
{
    /// <summary>Runs the (re-time and) push; 1 with the coded message when it fails.</summary>
    public static int Run(string folder, string reference, bool retime, string? linkedChunksFile = null)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            OciLayout layout;
            if (retime)
            {
                var linked = linkedChunksFile is null ? [] : JsonSerializer.Deserialize<List<LinkedChunk>>(File.ReadAllText(linkedChunksFile)) ?? [];
                layout = LayerRetimer.Retime(folder, 0, reference, Console.WriteLine, linked);
                Console.WriteLine($"re-timed in {clock.Elapsed.TotalSeconds:0.00} s");
            }
            else
            {
                layout = OciLayout.Read(folder, reference);
            }
            using var client = new RegistryClient();
            var result = client.PushLayoutAsync(layout, [reference], Console.WriteLine).GetAwaiter().GetResult();
            var freed = retime ? layout.RemoveUnreferencedBlobs(LayerRetimer.SourcesOf(layout)) : layout.RemoveUnreferencedBlobs();
            Console.WriteLine($"{reference}@{result.Digest}: {(retime ? "re-timed and " : "")}pushed in {clock.Elapsed.TotalSeconds:0.00} s; {freed} bytes of older blobs removed");
            return 0;
        }
        catch (ImageDefinitionException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
