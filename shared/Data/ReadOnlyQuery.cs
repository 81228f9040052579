using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Scoping;
using Npgsql;

namespace InvoiceApi.Data;

/// <summary>
/// Runs reads inside a read-only transaction that always ends: committed on success, rolled back on an exception or
/// a cancellation, and the connection goes back to the pool either way, never "idle in transaction". A pooled
/// connection found dead before the query runs is replaced (<see cref="DatabaseConnector.BeginAsync"/>).
/// </summary>
/// <remarks>
/// The query is a lambda so that its Dapper call, SQL next to it, stays at the call site where Dapper.AOT can generate code for it.
/// Pass the cancellation token to Dapper inside the parameters (<c>new { id, cancellationToken }</c>): Dapper.AOT reads it from there.
/// </remarks>
public sealed class ReadOnlyQuery(DatabaseConnector connector)
{
    /// <summary>Runs <paramref name="query"/> on a connection whose transaction refuses writes and sees no account's rows.</summary>
    /// <remarks>For the database's own catalogs (schema checks, readiness): row-level security hides every invoice from it.</remarks>
    public Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken) =>
        RunAsync(scope: null, query, cancellationToken);

    /// <summary>
    /// Runs <paramref name="query"/> on a connection whose transaction refuses writes and sees the rows of
    /// <paramref name="scope"/>: the account's own, or every account's for an admin's explicit read-all.
    /// </summary>
    public async Task<T> RunAsync<T>(DataScope? scope, Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (scope is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(scope.AccountId, nameof(scope));
        }
        await using var session = await connector.BeginAsync(async (connection, transaction, token) =>
        {
            // Npgsql 10 has no read-only flag on BeginTransaction; this must be the transaction's first statement.
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(token);
            }
            if (scope is not null)
            {
                await ScopeSettings.ApplyAsync(connection, transaction, scope, token);
            }
        }, cancellationToken);
        var result = await query(session.Connection, cancellationToken);
        await session.Transaction.CommitAsync(cancellationToken);
        return result;
    }
}
