using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>What the runtime login's statements cost inside PostgreSQL during a phase (pg_stat_statements: execution only, no network or parse).</summary>
internal sealed record SqlCost(long Statements, double ExecutionMs)
{
    /// <summary>"0.05 ms SQL in 4 statements / request".</summary>
    internal string PerRequest(double requests, string unit = "request") => requests <= 0 ? "" : string.Create(CultureInfo.InvariantCulture,
        $"SQL {ExecutionMs / requests:0.###} ms in {Statements / requests:0.#} statements per {unit}");
}
