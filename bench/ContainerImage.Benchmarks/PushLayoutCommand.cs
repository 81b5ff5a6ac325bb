using System.Diagnostics;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Benchmarks;

/// <summary>
/// <c>push-layout FOLDER REF</c>: what the SDK's default reproducible push does after buildx wrote the OCI layout
/// folder: read it, push it to REF with the SDK's registry client, then clean the folder's older blobs, printing
/// the client's lines and the seconds. For eng/bench-rebuild.sh's <c>sdk</c> mode.
/// </summary>
internal static class PushLayoutCommand
{
    /// <summary>Runs the push; 1 with the coded message when it fails.</summary>
    public static int Run(string folder, string reference)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var layout = OciLayout.Read(folder, reference);
            using var client = new RegistryClient();
            var result = client.PushLayoutAsync(layout, [reference], Console.WriteLine).GetAwaiter().GetResult();
            var freed = layout.RemoveUnreferencedBlobs();
            Console.WriteLine($"{reference}@{result.Digest}: pushed in {clock.Elapsed.TotalSeconds:0.00} s; {freed} bytes of older blobs removed");
            return 0;
        }
        catch (ImageDefinitionException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
