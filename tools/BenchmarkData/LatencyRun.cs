using System.Diagnostics;
using System.Globalization;

namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>
/// Latency percentiles and throughput of one endpoint at one concurrency: as the server measured each request (its
/// <c>Server-Timing: app;dur=</c> header) and as the client saw the round trip (connection, client and load generator included).
/// </summary>
public sealed record LatencyRun(string Name, int Concurrency, int Requests, double P50, double P95, double P99, double PerSecond,
    double ServerP50, double ServerP95, double ServerP99, int CacheHits)
{
    public static async Task<LatencyRun> MeasureAsync(string name, HttpClient client, string path, int concurrency, int requestsPerWorker, CancellationToken cancellationToken)
    {
        var roundTrips = new double[concurrency * requestsPerWorker];
        var server = new double[roundTrips.Length];
        var hits = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < requestsPerWorker; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                roundTrips[worker * requestsPerWorker + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                var (milliseconds, cacheHit) = ServerTiming(response);
                server[worker * requestsPerWorker + i] = milliseconds;
                if (cacheHit)
                {
                    Interlocked.Increment(ref hits);
                }
            }
        }, cancellationToken)));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(roundTrips);
        Array.Sort(server);
        return new LatencyRun(name, concurrency, roundTrips.Length, Percentile(roundTrips, 0.50), Percentile(roundTrips, 0.95), Percentile(roundTrips, 0.99),
            roundTrips.Length / elapsed, Percentile(server, 0.50), Percentile(server, 0.95), Percentile(server, 0.99), hits);
    }

    public static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    /// <summary>
    /// The function's own figures for the request, from its Server-Timing header: the <c>app;dur=12.345</c> metric and
    /// whether Stats served kept figures (<c>cache;desc=hit</c>).
    /// </summary>
    private static (double Milliseconds, bool CacheHit) ServerTiming(HttpResponseMessage response)
    {
        const string Prefix = "app;dur=";
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(",", values) : "";
        var metrics = header.Split(',', StringSplitOptions.TrimEntries);
        var app = metrics.FirstOrDefault(metric => metric.StartsWith(Prefix, StringComparison.Ordinal));
        if (app is null || !double.TryParse(app.AsSpan(Prefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            throw new InvalidOperationException($"The response has no Server-Timing app;dur= figure (got '{header}'): is the function built from this tree?");
        }
        return (milliseconds, metrics.Contains("cache;desc=hit", StringComparer.Ordinal));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-20} c={Concurrency}  n={Requests,5}  server p50 {ServerP50,6:0.00} p95 {ServerP95,6:0.00} p99 {ServerP99,6:0.00} ms · round trip p50 {P50,6:0.00} p95 {P95,6:0.00} p99 {P99,6:0.00} ms  {PerSecond,6:0} req/s  cache hits {100.0 * CacheHits / Requests,3:0}%");
}
