using System.Diagnostics;
using System.Globalization;

namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>Latency percentiles and throughput of one endpoint at one concurrency.</summary>
public sealed record LatencyRun(string Name, int Concurrency, int Requests, double P50, double P95, double P99, double PerSecond)
{
    public static async Task<LatencyRun> MeasureAsync(string name, HttpClient client, string path, int concurrency, int requestsPerWorker, CancellationToken cancellationToken)
    {
        var samples = new double[concurrency * requestsPerWorker];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < requestsPerWorker; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                response.EnsureSuccessStatusCode();
                samples[worker * requestsPerWorker + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken)));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(samples);
        return new LatencyRun(name, concurrency, samples.Length, Percentile(samples, 0.50), Percentile(samples, 0.95), Percentile(samples, 0.99), samples.Length / elapsed);
    }

    public static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-34} c={Concurrency}  n={Requests,5}  p50 {P50,7:0.00} ms  p95 {P95,7:0.00} ms  p99 {P99,7:0.00} ms  {PerSecond,7:0} req/s");
}
