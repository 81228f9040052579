using InvoiceApi.Data.Connection;
using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Runs writes for one account in a read-write transaction that always ends: committed when the work returns, rolled
/// back on an exception or a cancellation; the connection goes back to the pool either way, never "idle in transaction".
/// Row-level security holds every statement in it to the account's own rows, and to a member allowed to write, whatever the SQL says. A pooled connection
/// found dead before the work starts is replaced; one lost later comes out as a <see cref="DatabaseConnectionLostException"/>.
/// </summary>
/// <remarks>
/// Pass the transaction to each Dapper call (<c>connection.ExecuteAsync(sql, args, transaction)</c>) and the cancellation
/// token inside the parameters, where Dapper.AOT reads it.
/// </remarks>
public sealed class CallerTransaction(DatabaseConnector connector)
{
    /// <summary>Runs <paramref name="work"/> within <paramref name="scope"/> and commits it.</summary>
    public async Task<T> RunAsync<T>(WriteScope scope, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(work);
        // Refused before a connection is taken: a transaction without an account would see no rows and write none.
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.AccountId);
        await using var session = await connector.BeginAsync((connection, transaction, token) =>
            ScopeSettings.ApplyAsync(connection, transaction, scope, token), cancellationToken);
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
