using System.Globalization;
using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Publishing;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>
/// Cold starts of each function, every published build side by side. A build that failed to publish, or whose binary
/// does not serve, says why in its cell and is left out of the other measurements (the returned set).
/// </summary>
internal static class ColdStartSuite
{
    internal static async Task<HashSet<Build>> RunAsync(BenchmarkContext context, IReadOnlyList<PublishedFunction> published, CancellationToken cancellationToken)
    {
        var broken = new HashSet<Build>();
        foreach (var (function, path) in new[] { ("Invoices", $"/{context.Ids[0]}"), ("Stats", "/dashboard") })
        {
            var figure = Rows.ColdStart(function, function == "Invoices" ? "/{id}" : path, context.Options.ColdStarts);
            var builds = published.Where(candidate => candidate.Function == function).ToList();
            foreach (var failed in builds.Where(candidate => !candidate.Usable))
            {
                context.Table.Set(figure, failed.Build, $"{Name(failed.Build)} publish failed: {failed.Failure}");
                broken.Add(failed.Build);
            }
            var usable = new List<PublishedFunction>();
            // One start of each, not counted: it proves the binary serves, and warms the disk cache and this process's HTTP code.
            foreach (var build in builds.Where(candidate => candidate.Usable))
            {
                try
                {
                    await ColdStart.StartOnceAsync(build, context.Settings, path, context.Tokens.Heaviest, context.Pinning, cancellationToken);
                    usable.Add(build);
                }
                catch (InvalidOperationException exception)
                {
                    Progress.Line(exception.Message);
                    context.Table.Set(figure, build.Build, $"{Name(build.Build)} binary does not serve: {exception.Message.Split('\n')[0]}");
                    broken.Add(build.Build);
                }
            }
            if (usable.Count == 0)
            {
                continue;
            }
            Progress.Line($"cold starts of {function}: {context.Options.ColdStarts} per build ({string.Join(", ", usable.Select(build => build.Label))}), alternating");
            var results = await ColdStart.MeasureAsync(usable, context.Settings, path, context.Tokens.Heaviest, context.Options.ColdStarts, context.Pinning, cancellationToken);
            foreach (var (build, result) in results)
            {
                context.Table.Set(figure, build, $"{result.Milliseconds.Format("0.0")} ms; CPU {result.CpuMilliseconds.Format("0")} ms");
                context.Table.Set(Rows.StartMemory(function), build, $"{result.RssMb.Format("0.0")} MB; {result.PeakMb.Median.ToString("0.0", CultureInfo.InvariantCulture)} MB");
            }
        }
        return broken;
    }

    private static string Name(Build build) => build == Build.Aot ? "AOT" : "JIT";
}
