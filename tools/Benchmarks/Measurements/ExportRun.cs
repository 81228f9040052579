using System.Diagnostics;
using InvoiceApi.Tools.Benchmarks.Processes;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>
/// GET /export.csv of the heaviest caller's every invoice (archived ones included), read as fast as the client can:
/// rows per second, and the function's peak RSS during the export (VmHWM reset just before it; RSS sampled too).
/// </summary>
internal sealed record ExportRun(Spread RowsPerSecond, Spread PeakMb, long Rows)
{
    internal const string Path = "/export.csv?include=archived";

    internal static async Task<ExportRun> MeasureAsync(HttpClient caller, ServerProcess server, int runs, CancellationToken cancellationToken)
    {
        var rates = new List<double>();
        var peaks = new List<double>();
        long rows = 0;
        for (var run = 0; run < runs; run++)
        {
            var resetWorked = MemoryReading.ResetPeak(server.Pid);
            double sampledPeak = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    sampledPeak = Math.Max(sampledPeak, server.Memory().RssMb);
                    await Task.Delay(10, CancellationToken.None);
                }
            }, CancellationToken.None);
            var started = Stopwatch.GetTimestamp();
            using (var response = await caller.GetAsync(new Uri(Path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken))
            {
                response.EnsureSuccessStatusCode();
                rows = await CountLinesAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken) - 1;
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            rates.Add(rows / seconds);
            peaks.Add(resetWorked ? Math.Max(server.Memory().PeakMb, sampledPeak) : sampledPeak);
        }
        return new ExportRun(Spread.Of(rates), Spread.Of(peaks), rows);
    }

    // The export writes no line breaks inside fields for this data set: lines are rows (plus the header).
    private static async Task<long> CountLinesAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return lines;
    }
}
