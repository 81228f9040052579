using System.Diagnostics;
using System.Text.Json;
using InvoiceApi.Tools.BenchmarkData;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>Follows next_cursor from the first page Depth times: every page's latency, and the cursor of the last page reached.</summary>
internal sealed record ListWalk(string Cursor, int Depth, double P50, double P95, double Max)
{
    internal static async Task<ListWalk> WalkAsync(HttpClient client, int depth, CancellationToken cancellationToken)
    {
        var samples = new List<double>(depth);
        string? cursor = null;
        for (var page = 0; page < depth; page++)
        {
            var path = cursor is null ? "/" : "/?cursor=" + Uri.EscapeDataString(cursor);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(body);
            cursor = document.RootElement.GetProperty("next_cursor").GetString()
                ?? throw new InvalidOperationException($"The list ended after {page + 1} pages, before depth {depth}.");
        }
        var sorted = samples.Order().ToArray();
        return new ListWalk(cursor!, depth, LatencyRun.Percentile(sorted, 0.50), LatencyRun.Percentile(sorted, 0.95), sorted[^1]);
    }

    internal string DeepPath => "/?cursor=" + Uri.EscapeDataString(Cursor);
}
