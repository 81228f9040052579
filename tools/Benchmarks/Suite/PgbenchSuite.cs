using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>pgbench at the API's concurrency: the bare SELECT, then the API's whole statement sequence; returns both medians (tps).</summary>
internal static class PgbenchSuite
{
    internal static async Task<(double Select, double Transaction)> RunAsync(BenchmarkContext context, string pgbench, string socketDirectory, string database, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var caller = DataSet.Caller(0);
        Task<WrkResult> Run(string script, int seconds) =>
            Pgbench.RunAsync(pgbench, socketDirectory, database, script, caller, BenchmarkContext.Concurrency, seconds, context.Pinning, cancellationToken);

        Progress.Line($"pgbench: SELECT by primary key and the API's transaction at c={BenchmarkContext.Concurrency}, {options.LoadRuns} x {options.LoadSeconds} s each");
        var select = Pgbench.SelectOnly(BenchmarkFixtures.IdCount);
        var transaction = Pgbench.ProductTransaction(BenchmarkFixtures.IdCount);
        await Run(select, 3);
        var selects = await LoadSeries.MeasureAsync(context, options.LoadRuns, () => Run(select, options.LoadSeconds), cancellationToken);
        var transactions = await LoadSeries.MeasureAsync(context, options.LoadRuns, () => Run(transaction, options.LoadSeconds), cancellationToken);
        var table = context.Table;
        table.For(Rows.PgbenchSelect).Shared = $"{selects.Throughput("tps")}; {selects.Latency()}";
        table.For(Rows.PgbenchSelect).Note = selects.SqlNote("transaction");
        table.For(Rows.PgbenchTransaction).Shared = $"{transactions.Throughput("tps")}; {transactions.Latency()}";
        table.For(Rows.PgbenchTransaction).Note = transactions.SqlNote("transaction");
        return (selects.PerSecond.Median, transactions.PerSecond.Median);
    }
}
