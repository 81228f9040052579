using InvoiceApi.Data.Connection;
using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Runs writes for one caller in a read-write transaction that always ends: committed when the work returns, rolled
/// back on an exception or a cancellation; the connection goes back to the pool either way, never "idle in transaction".
/// Row-level security holds every statement in it to the caller's own rows, whatever the SQL says. A pooled connection
/// found dead before the work starts is replaced; one lost later comes out as a <see cref="DatabaseConnectionLostException"/>.
/// </summary>
/// <remarks>
/// Pass the transaction to each Dapper call (<c>connection.ExecuteAsync(sql, args, transaction)</c>) and the cancellation
/// token inside the parameters, where Dapper.AOT reads it.
/// </remarks>
public sealed class CallerTransaction(DatabaseConnector connector)
{
    /// <summary>Runs <paramref name="work"/> for <paramref name="userId"/> and commits it.</summary>
    public async Task<T> RunAsync<T>(string userId, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Refused before a connection is taken: a transaction without a caller would see no rows and write none.
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        // A write never reads across callers: an admin's read-all applies to read-only transactions alone.
        await using var session = await connector.BeginAsync((connection, transaction, token) =>
            ScopeSettings.ApplyAsync(connection, transaction, DataScope.Of(userId), allowReadAll: false, token), cancellationToken);
        T result;
        try
        {
            result = await work(session.Connection, session.Transaction, cancellationToken);
        }
        catch (Exception exception) when (DatabaseConnector.IsConnectionLoss(session.Connection, exception))
        {
            throw new DatabaseConnectionLostException(
                $"The connection to {connector.Endpoint} was lost before COMMIT; the transaction was rolled back.", mayHaveCommitted: false, exception);
        }
        try
        {
            await session.Transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseConnector.IsConnectionLoss(session.Connection, exception))
        {
            throw new DatabaseConnectionLostException(
                $"The connection to {connector.Endpoint} was lost during COMMIT; the server may have committed.", mayHaveCommitted: true, exception);
        }
        return result;
    }
}
