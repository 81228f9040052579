using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>Cold starts of one function in one build: exec to first good response, the CPU time the process used until then, and its memory at that moment.</summary>
internal sealed record ColdStartResult(Spread Milliseconds, Spread CpuMilliseconds, Spread RssMb, Spread PeakMb);
