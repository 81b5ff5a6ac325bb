using BenchmarkDotNet.Running;
using ContainerImage.Benchmarks;

// Entry point for eng/bench.sh:
//   bdn RESULTS.md [CLASS]   run the BenchmarkDotNet benchmarks (only classes whose name contains CLASS), write their figures and ratios
//   hash-probe TREE ROUNDS    where hashing time goes (read vs hash, 1 core vs all)
//   id-probe TREE ROUNDS      where a no-change identifier's time goes
//   context TREE OUT BYTES   write the build context and Dockerfile of tree TREE with chunk size BYTES
//   push-layout FOLDER REF    push the OCI layout folder FOLDER to REF as the SDK's default reproducible push does
//   retime-push FOLDER REF [LINKED]  re-time and gzip the new layers of FOLDER (rewriting the chunks LINKED lists), then push it
return args switch
{
    ["bdn", var results] => RunBenchmarks(results, null),
    ["bdn", var results, var classFilter] => RunBenchmarks(results, classFilter),
    ["hash-probe", var tree, var rounds] => HashProbe.Run(tree, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture)),
    ["id-probe", var tree, var rounds] => IdentifierProbe.Run(tree, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture)),
    ["context", var tree, var output, var chunkBytes] => ContextCommand.Run(tree, output, long.Parse(chunkBytes, System.Globalization.CultureInfo.InvariantCulture)),
    ["push-layout", var folder, var reference] => PushLayoutCommand.Run(folder, reference, retime: false),
    ["retime-push", var folder, var reference] => PushLayoutCommand.Run(folder, reference, retime: true),
    ["retime-push", var folder, var reference, var linked] => PushLayoutCommand.Run(folder, reference, retime: true, linked),
    _ => Usage(),
};

// classFilter: only the benchmark classes whose name contains it (e.g. Identifier), to re-measure one part.
static int RunBenchmarks(string results, string? classFilter)
{
    var summaries = new[] { typeof(HashingBenchmarks), typeof(IdentifierBenchmarks), typeof(RegistryBenchmarks) }
        .Where(type => classFilter is null || type.Name.Contains(classFilter, StringComparison.OrdinalIgnoreCase))
        .Select(type => BenchmarkRunner.Run(type))
        .ToList();
    File.WriteAllText(results, ResultsTable.Markdown(summaries));
    Console.WriteLine(File.ReadAllText(results));
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ContainerImage.Benchmarks bdn RESULTS.md [CLASS-FILTER] | hash-probe TREE ROUNDS | id-probe TREE ROUNDS | context TREE OUT CHUNK_BYTES | push-layout FOLDER REF | retime-push FOLDER REF");
    return 2;
}
