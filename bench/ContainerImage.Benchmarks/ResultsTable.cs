using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace ContainerImage.Benchmarks;

/// <summary>
/// One markdown table of every benchmark: mean and min time, the ratio to its class's baseline with the
/// same parameters, and for the ones that read the whole tree, the throughput in GB/s (10^9 bytes/s).
/// </summary>
public static class ResultsTable
{
    private static readonly HashSet<string> ReadsEveryByte = ["RawSha256SingleCore", "FileHasherCold", "IdentifierCold", "IdentifierColdPlanThenHash"];

    /// <summary>The table, with the load average when it was written (the runs take minutes: see the log for more).</summary>
    public static string Markdown(IEnumerable<Summary> summaries)
    {
        var text = new StringBuilder();
        text.AppendLine("| Class | Benchmark | Tree | Mean | Min | Ratio to baseline | Throughput |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|");
        var sizes = new Dictionary<string, long>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports.Where(r => r.ResultStatistics is not null))
            {
                var benchmark = report.BenchmarkCase;
                var tree = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Tree")?.Value as string;
                var mean = report.ResultStatistics!.Mean;
                var baseline = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline
                    && r.BenchmarkCase.Parameters.DisplayInfo == benchmark.Parameters.DisplayInfo && r.ResultStatistics is not null);
                var ratio = baseline is null ? "" : (mean / baseline.ResultStatistics!.Mean).ToString("0.00", CultureInfo.InvariantCulture) + "x";
                var throughput = "";
                if (tree is not null && ReadsEveryByte.Contains(benchmark.Descriptor.WorkloadMethod.Name))
                {
                    if (!sizes.TryGetValue(tree, out var bytes)) sizes[tree] = bytes = BenchTrees.Files(tree).Sum(f => f.Length);
                    throughput = (bytes / (mean / 1e9) / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB/s";
                }
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {benchmark.Descriptor.Type.Name} | {benchmark.Descriptor.WorkloadMethod.Name} | {tree ?? "-"} | {Time(mean)} | {Time(report.ResultStatistics.Min)} | {ratio} | {throughput} |"));
            }
        }
        text.AppendLine();
        text.AppendLine("Load average when the table was written: " + File.ReadAllText("/proc/loadavg").Trim());
        return text.ToString();
    }

    private static string Time(double nanoseconds) => nanoseconds >= 1e9
        ? (nanoseconds / 1e9).ToString("0.000", CultureInfo.InvariantCulture) + " s"
        : (nanoseconds / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
