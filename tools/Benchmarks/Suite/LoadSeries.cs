using System.Globalization;
using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Processes;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>
/// Several load runs (wrk or pgbench) of the same script: medians and ranges of throughput and latency, what the SQL
/// cost, and the CPU time each request took in the function and in PostgreSQL.
/// </summary>
internal sealed record LoadSeries(Spread PerSecond, Spread P50, Spread P99, long Requests, long Errors, SqlCost Sql, double? FunctionCpuMs, double PostgresCpuMs)
{
    internal static async Task<LoadSeries> MeasureAsync(BenchmarkContext context, int runs, Func<Task<WrkResult>> run, CancellationToken cancellationToken,
        int? functionPid = null)
    {
        await context.Sql.ResetAsync(cancellationToken);
        var functionBefore = functionPid is { } pid ? CpuTime.SecondsOf(pid) : 0;
        var postgresBefore = CpuTime.PostgresSeconds(context.PostgresDataDirectory);
        var results = new List<WrkResult>();
        for (var i = 0; i < runs; i++)
        {
            results.Add(await run());
        }
        var functionCpu = functionPid is { } after ? CpuTime.SecondsOf(after) - functionBefore : (double?)null;
        var postgresCpu = CpuTime.PostgresSeconds(context.PostgresDataDirectory) - postgresBefore;
        var sql = await context.Sql.ReadAsync(cancellationToken);
        var errors = results.Sum(result => result.Errors);
        if (errors > 0)
        {
            Progress.Line($"  {errors} failed requests or transactions");
        }
        var requests = results.Sum(result => result.Requests);
        return new LoadSeries(Spread.Of(results.Select(result => result.PerSecond).ToList()), Spread.Of(results.Select(result => result.P50).ToList()),
            Spread.Of(results.Select(result => result.P99).ToList()), requests, errors, sql,
            functionCpu * 1000 / requests, postgresCpu * 1000 / requests);
    }

    internal string Throughput(string unit = "req/s") => $"{PerSecond.Format("0")} {unit}" + (Errors > 0 ? $" ({Errors} failed)" : "");

    internal string Latency() => $"p50 {P50.Format("0.00")} ms, p99 {P99.Format("0.00")} ms";

    /// <summary>"CPU: function 0.80 ms + PostgreSQL 0.20 ms per request; SQL 0.08 ms in 6 statements per request".</summary>
    internal string SqlNote(string unit = "request")
    {
        var cpu = FunctionCpuMs is { } function
            ? string.Create(CultureInfo.InvariantCulture, $"CPU: function {function:0.00} ms + PostgreSQL {PostgresCpuMs:0.00} ms per {unit}; ")
            : string.Create(CultureInfo.InvariantCulture, $"CPU: PostgreSQL {PostgresCpuMs:0.00} ms per {unit}; ");
        return cpu + Sql.PerRequest(Requests, unit);
    }
}
