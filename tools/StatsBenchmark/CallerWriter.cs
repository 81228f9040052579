using Npgsql;

namespace InvoiceApi.Tools.StatsBenchmark;

/// <summary>
/// Writes one invoice for a caller at a steady pace as the runtime login, the way the Invoices function would, so the
/// Stats figures change under the readers; removes what it wrote when disposed (the kept data set stays as loaded).
/// </summary>
internal sealed class CallerWriter : IAsyncDisposable
{
    private const string Marker = "stats-benchmark-writer";
    private readonly NpgsqlDataSource _runtime;
    private readonly NpgsqlDataSource _admin;
    private readonly string _userId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writing;
    private int _written;

    internal CallerWriter(NpgsqlDataSource runtime, NpgsqlDataSource admin, string userId, TimeSpan every, DateOnly today)
    {
        _runtime = runtime;
        _admin = admin;
        _userId = userId;
        _writing = WriteAsync(every, today, _stop.Token);
    }

    internal int Written => _written;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _writing;
        }
        catch (OperationCanceledException)
        {
        }
        // The runtime role may not delete; the owner removes them (the triggers keep the rollups exact).
        await using (var remove = _admin.CreateCommand("DELETE FROM invoices WHERE account_id = $1 AND description = $2"))
        {
            remove.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _userId });
            remove.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Marker });
            await remove.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await _runtime.DisposeAsync();
        await _admin.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WriteAsync(TimeSpan every, DateOnly today, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await InsertAsCallerAsync(today, cancellationToken);
            Interlocked.Increment(ref _written);
        }
    }

    // As the Invoices function writes: the caller set for the transaction, row-level security on.
    private async Task InsertAsCallerAsync(DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await _runtime.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var scope = new NpgsqlCommand("SELECT set_config('app.account_id', $1, true), set_config('app.account_role', 'editor', true), set_config('app.operation', 'create', true)", connection, transaction))
        {
            scope.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _userId });
            await scope.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, currency, category, status, description)
            VALUES (gen_random_uuid(), $1, $1, $1, $3, 'Benchmark Writer', 1000.00, 'COP', 'Office', 'pending', $2)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _userId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Marker });
            insert.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = today });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
