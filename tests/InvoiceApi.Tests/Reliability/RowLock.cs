using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// An invoice row locked FOR UPDATE from outside the function, in a superuser transaction of its own: a write to it
/// (a PATCH) holds its pooled connection and waits until <see cref="ReleaseAsync"/>. Makes requests slow for real.
/// </summary>
internal sealed class RowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Locks the invoice numbered <paramref name="number"/>.</summary>
    internal static async Task<RowLock> TakeAsync(NpgsqlDataSource admin, string number)
    {
        var connection = await admin.OpenConnectionAsync(Token);
        var transaction = await connection.BeginTransactionAsync(Token);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM invoices WHERE number = $1 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number });
            await lockRow.ExecuteNonQueryAsync(Token);
        }
        return new RowLock(connection, transaction);
    }

    /// <summary>
    /// Waits until exactly <paramref name="count"/> of the runtime login's sessions wait for a row lock taken FOR UPDATE
    /// (the PATCHes' look-up). Other lock waits do not count: concurrent inserts queue on the caller's rollup rows too.
    /// </summary>
    internal static Task WaitForWaitersAsync(NpgsqlDataSource admin, TestDatabase database, int count, string what) =>
        FaultCalls.WaitUntilAsync(async () => await FaultCalls.CountAsync(admin,
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = $1 AND usename = $2 AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'
            """,
            database.Name, PostgresServer.RuntimeUser) == count, TimeSpan.FromSeconds(10), what);

    internal Task ReleaseAsync() => _transaction.CommitAsync(Token);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
