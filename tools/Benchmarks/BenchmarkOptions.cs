using InvoiceApi.Tools.BenchmarkData;

namespace InvoiceApi.Tools.Benchmarks;

/// <summary>What a run measures and how long (<see cref="BenchmarkCommand"/> reads it): the full run by default.</summary>
internal sealed record BenchmarkOptions
{
    internal DataSet Set { get; init; } = DataSet.Full;
    internal int ColdStarts { get; init; } = 20;
    internal int LoadSeconds { get; init; } = 10;
    internal int LoadRuns { get; init; } = 3;
    internal int LatencyRuns { get; init; } = 5;
    internal int LatencyRequests { get; init; } = 100;
    internal int ImportRuns { get; init; } = 5;
    internal int ExportRuns { get; init; } = 3;
    internal int MixedSeconds { get; init; } = 60;
    internal int Rounds { get; init; } = 6;

    /// <summary>A checkout of an earlier revision (git worktree) whose Invoices joins the alternating rounds, or null.</summary>
    internal string? Baseline { get; init; }
    internal bool Pin { get; init; } = true;
    internal bool Publish { get; init; } = true;
    internal IReadOnlyList<Build> Builds { get; init; } = [Build.Jit, Build.Aot];

    /// <summary><c>--quick</c>: the development run, fewer and shorter measurements on the small data set.</summary>
    internal static BenchmarkOptions Quick { get; } = new()
    {
        Set = DataSet.Quick, ColdStarts = 5, LoadSeconds = 3, LoadRuns = 2, LatencyRuns = 3, LatencyRequests = 40,
        ImportRuns = 2, ExportRuns = 2, MixedSeconds = 10, Rounds = 3,
    };
}
