using System.Diagnostics;
using System.Globalization;
using InvoiceApi.Tools.BenchmarkData;
using Npgsql;

namespace InvoiceApi.Tools.StatsBenchmark;

/// <summary>What the same figures cost as plain GROUP BY over the raw invoices, for comparison.</summary>
internal static class RawGroupBy
{
    internal static async Task<string> MeasureAsync(NpgsqlDataSource runtime, string name, string userId, string sql, DateOnly from, DateOnly to, int runs, CancellationToken cancellationToken)
    {
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            await using var connection = await runtime.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var scope = new NpgsqlCommand("SELECT set_config('app.account_id', $1, true), set_config('app.account_role', 'editor', true), set_config('app.operation', 'create', true)", connection, transaction))
            {
                scope.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
                await scope.ExecuteNonQueryAsync(cancellationToken);
            }
            var started = Stopwatch.GetTimestamp();
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string>("userId", userId));
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("from", from));
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("to", to));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                }
            }
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await transaction.CommitAsync(cancellationToken);
        }
        Array.Sort(samples);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-34} raw GROUP BY, n={runs}: p50 {LatencyRun.Percentile(samples, 0.5),8:0.00} ms  p95 {LatencyRun.Percentile(samples, 0.95),8:0.00} ms");
    }

    /// <summary>The dashboard's aggregates (totals, statuses, categories, methods, providers) and the previous period, from the raw rows.</summary>
    internal const string Dashboard = """
        SELECT 'status', currency, status, count(*), sum(amount) FROM invoices
          WHERE account_id = @userId AND date BETWEEN @from AND @to AND status <> 'void' AND archived_at IS NULL GROUP BY 2, 3
        UNION ALL
        SELECT 'previous', currency, status, count(*), sum(amount) FROM invoices
          WHERE account_id = @userId AND date BETWEEN @from - (@to - @from + 1) AND @from - 1 AND status <> 'void' AND archived_at IS NULL GROUP BY 2, 3
        UNION ALL
        SELECT 'category', currency, lower(category), count(*), sum(amount) FROM invoices
          WHERE account_id = @userId AND date BETWEEN @from AND @to AND status <> 'void' AND archived_at IS NULL GROUP BY 2, 3
        UNION ALL
        SELECT 'method', currency, coalesce(payment_method, ''), count(*), sum(amount) FROM invoices
          WHERE account_id = @userId AND date BETWEEN @from AND @to AND status <> 'void' AND archived_at IS NULL GROUP BY 2, 3
        UNION ALL
        SELECT 'provider', currency, lower(provider), count(*), sum(amount) FROM invoices
          WHERE account_id = @userId AND date BETWEEN @from AND @to AND status <> 'void' AND archived_at IS NULL GROUP BY 2, 3
        """;

    /// <summary>The trend's monthly series from the raw rows.</summary>
    internal const string Trend = """
        SELECT date_trunc('month', date::timestamp), currency, count(*), sum(amount) FROM invoices
        WHERE account_id = @userId AND date BETWEEN @from AND @to AND status <> 'void' AND archived_at IS NULL GROUP BY 1, 2
        """;

    /// <summary>The tax figures of /taxes (taxes and withholdings by scheme and rate, per month) from the raw rows' jsonb.</summary>
    internal const string Taxes = """
        SELECT date_trunc('month', i.date::timestamp), i.currency, l.list, t ->> 'scheme', t ->> 'rate', count(*),
               sum((t ->> 'base')::numeric), sum((t ->> 'amount')::numeric)
        FROM invoices AS i
        CROSS JOIN LATERAL (VALUES ('tax', i.taxes), ('withholding', i.withholdings)) AS l (list, items)
        CROSS JOIN LATERAL jsonb_array_elements(l.items) AS t
        WHERE i.account_id = @userId AND i.date BETWEEN @from AND @to AND i.status <> 'void' AND i.archived_at IS NULL
        GROUP BY 1, 2, 3, 4, 5
        """;
}
