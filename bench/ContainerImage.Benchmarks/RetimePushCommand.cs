using System.Diagnostics;
using ContainerImage.Build;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Benchmarks;

/// <summary>
/// <c>retime-push FOLDER REF</c>: what <c>ImageTimestampRewrite=Sdk</c> does after buildx wrote the layout folder
/// uncompressed and without <c>rewrite-timestamp</c>: re-time and gzip the new layers (once each), push, then clean
/// the folder, keeping the plain tars buildx skips next time. For eng/bench-rebuild.sh's <c>sdk-retime</c> mode.
/// </summary>
internal static class RetimePushCommand
{
    /// <summary>Runs the re-time and the push; 1 with the coded message when it fails.</summary>
    public static int Run(string folder, string reference)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var layout = LayerRetimer.Retime(folder, 0, reference, Console.WriteLine);
            Console.WriteLine($"re-timed in {clock.Elapsed.TotalSeconds:0.00} s");
            using var client = new RegistryClient();
            var result = client.PushLayoutAsync(layout, [reference], Console.WriteLine).GetAwaiter().GetResult();
            var freed = layout.RemoveUnreferencedBlobs(LayerRetimer.SourcesOf(layout));
            Console.WriteLine($"{reference}@{result.Digest}: re-timed and pushed in {clock.Elapsed.TotalSeconds:0.00} s; {freed} bytes of older blobs removed");
            return 0;
        }
        catch (ImageDefinitionException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
