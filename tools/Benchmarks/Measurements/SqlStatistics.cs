using System.Globalization;
using InvoiceApi.Tools.BenchmarkData;
using Npgsql;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>
/// pg_stat_statements in the benchmark database (in its own schema, out of the product's), to tell the time spent
/// executing SQL apart from everything around it. Reset before a phase, read after it.
/// </summary>
internal sealed class SqlStatistics(NpgsqlDataSource admin)
{
    private const string OfTheRuntimeLogin = $"""
        FROM benchmark.pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
        WHERE r.rolname = '{BenchmarkDatabase.RuntimeUser}' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    /// <summary>Loads the module (a restart, once per cluster) and creates the extension in schema <c>benchmark</c>.</summary>
    internal static async Task EnableAsync(BenchmarkCluster bench, NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        await using (var libraries = admin.CreateCommand("SHOW shared_preload_libraries"))
        {
            if (!((string)(await libraries.ExecuteScalarAsync(cancellationToken))!).Contains("pg_stat_statements", StringComparison.Ordinal))
            {
                await BenchmarkDatabase.ExecuteAsync(admin, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'", cancellationToken);
                await bench.Cluster.RestartAsync(cancellationToken);
                admin.Clear();
            }
        }
        await BenchmarkDatabase.ExecuteAsync(admin, "CREATE SCHEMA IF NOT EXISTS benchmark", cancellationToken);
        await BenchmarkDatabase.ExecuteAsync(admin, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA benchmark", cancellationToken);
    }

    internal async Task ResetAsync(CancellationToken cancellationToken) =>
        await BenchmarkDatabase.ExecuteAsync(admin, "SELECT benchmark.pg_stat_statements_reset()", cancellationToken);

    /// <summary>The phase's cost, after writing its costliest statements to the progress log (where the time goes, in detail).</summary>
    internal async Task<SqlCost> ReadAsync(CancellationToken cancellationToken)
    {
        await LogTopStatementsAsync(cancellationToken);
        await using var command = admin.CreateCommand($"SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0)::float8 {OfTheRuntimeLogin}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SqlCost(reader.GetInt64(0), reader.GetDouble(1));
    }

    private async Task LogTopStatementsAsync(CancellationToken cancellationToken)
    {
        await using var command = admin.CreateCommand(
            $"SELECT calls, mean_exec_time, regexp_replace(left(query, 100), '\\s+', ' ', 'g') {OfTheRuntimeLogin} ORDER BY total_exec_time DESC LIMIT 6");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Progress.Line(string.Create(CultureInfo.InvariantCulture, $"    sql {reader.GetInt64(0),8} calls {reader.GetDouble(1),9:0.000} ms  {reader.GetString(2)}"));
        }
    }
}
