using InvoiceApi.Tools.BenchmarkData;
using Npgsql;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>
/// What the measurements need besides the data set: a fixed list of the heaviest caller's ids (for wrk and pgbench
/// alike) in schema <c>benchmark</c>, readable by the runtime login, and no rows left by an earlier run's writes.
/// </summary>
internal static class BenchmarkFixtures
{
    /// <summary>The caller the write measurements create invoices for, and the prefix of the other writers (all removed before and after a run).</summary>
    internal const string Writer = "bench-writer";

    internal const int IdCount = 10_000;

    /// <summary>Fills benchmark.ids once and returns the ids in order.</summary>
    internal static async Task<IReadOnlyList<Guid>> PointReadIdsAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        await BenchmarkDatabase.ExecuteAsync(admin, $"""
            CREATE TABLE IF NOT EXISTS benchmark.ids (n int PRIMARY KEY, id uuid NOT NULL);
            GRANT USAGE ON SCHEMA benchmark TO invoice_api_runtime;
            GRANT SELECT ON benchmark.ids TO invoice_api_runtime;
            INSERT INTO benchmark.ids
              SELECT row_number() OVER (), id FROM (SELECT id FROM invoices WHERE account_id = '{DataSet.Caller(0)}' ORDER BY md5(id::text) LIMIT {IdCount}) picked
              WHERE NOT EXISTS (SELECT FROM benchmark.ids);
            """, cancellationToken);
        var ids = new List<Guid>(IdCount);
        await using var command = admin.CreateCommand("SELECT id FROM benchmark.ids ORDER BY n");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    /// <summary>Removes the invoices an earlier run's writes left (the rollup triggers take them out of the figures too).</summary>
    internal static async Task RemoveWritesAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        await BenchmarkDatabase.ExecuteAsync(admin, $"DELETE FROM invoices WHERE account_id LIKE '{Writer}%'; DELETE FROM idempotency_keys WHERE account_id LIKE '{Writer}%'", cancellationToken);
        await BenchmarkDatabase.ExecuteAsync(admin, "VACUUM ANALYZE invoices", cancellationToken);
    }
}
