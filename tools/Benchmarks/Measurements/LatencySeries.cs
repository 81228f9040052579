using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>Several sequential latency runs of one path (StatsBenchmark's LatencyRun at concurrency 1): the median p50 and p95 with their range.</summary>
internal sealed record LatencySeries(Spread P50, Spread P95, int Requests)
{
    internal static async Task<LatencySeries> MeasureAsync(HttpClient client, string path, int runs, int requestsPerRun, CancellationToken cancellationToken)
    {
        // Warms the path (and, for the JIT build, gets its code past the first tier) before anything is counted.
        await LatencyRun.MeasureAsync(path, client, path, 1, Math.Min(requestsPerRun, 50), cancellationToken);
        var results = new List<LatencyRun>();
        for (var run = 0; run < runs; run++)
        {
            results.Add(await LatencyRun.MeasureAsync(path, client, path, 1, requestsPerRun, cancellationToken));
        }
        return new LatencySeries(Spread.Of(results.Select(result => result.P50).ToList()), Spread.Of(results.Select(result => result.P95).ToList()),
            runs * requestsPerRun + Math.Min(requestsPerRun, 50));
    }

    internal string Format() => $"p50 {P50.Format("0.00")} ms, p95 {P95.Format("0.00")} ms";
}
