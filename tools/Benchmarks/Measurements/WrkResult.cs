namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>One wrk run: requests, failed ones (socket errors and non-2xx/3xx), its length and latency percentiles in ms.</summary>
internal sealed record WrkResult(long Requests, long Errors, double Seconds, double P50, double P95, double P99)
{
    internal double PerSecond => Requests / Seconds;
}
