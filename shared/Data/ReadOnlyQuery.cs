using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Scoping;
using Npgsql;

namespace InvoiceApi.Data;

/// <summary>
/// Runs reads so that no connection ever goes back to the pool "idle in transaction", whatever happens inside them.
/// </summary>
/// <remarks>
/// <para>An account's read costs one round trip: each statement the query sends starts with <see cref="Scope"/>
/// (<c>CALL invoice_api_read_scope(...)</c>, migration 0009), which makes the command's implicit transaction read-only
/// and scoped to the account; PostgreSQL ends that transaction by itself when the command's messages end. Nothing is
/// begun here, so there is nothing to commit, roll back or leak. A statement sent without the prefix sees no account's
/// rows (row-level security fails closed) and can write nothing (the writers' policies need a role).</para>
/// <para>The query is a lambda so that its Dapper call, SQL next to it, stays at the call site where Dapper.AOT can
/// generate code for it. Pass the cancellation token to Dapper inside the parameters (<c>new { id, cancellationToken }</c>):
/// Dapper.AOT reads it from there.</para>
/// </remarks>
public sealed class ReadOnlyQuery(DatabaseConnector connector)
{
    /// <summary>
    /// The statement each scoped read starts with, its parameters named <c>accountId</c> and <c>allAccounts</c>
    /// (<see cref="DataScope.AccountId"/> and <see cref="DataScope.ReadAllAccounts"/>), which the query's own
    /// <c>account_id = @accountId OR @allAccounts</c> uses too.
    /// </summary>
    public const string Scope = "CALL invoice_api_read_scope(@accountId, @allAccounts);\n";

    /// <summary><see cref="Scope"/> with the statement time limit of the read's transaction in <c>@statementTimeoutMs</c>.</summary>
    public const string ScopeWithTimeout = "CALL invoice_api_read_scope(@accountId, @allAccounts, @statementTimeoutMs);\n";

    /// <summary>
    /// <see cref="Scope"/> as the first command of a batch, for statements with positional parameters ($1, $2...), which
    /// PostgreSQL cannot take two to a command; the batch's reader starts at the next command's rows.
    /// </summary>
    public static NpgsqlBatchCommand ScopeCommand(DataScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var command = new NpgsqlBatchCommand("CALL invoice_api_read_scope($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.AccountId });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = scope.ReadAllAccounts });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="query"/>, whose statements each start with <see cref="Scope"/>, on a pooled connection.
    /// When the pooled connection turns out dead (the server restarted or ended the session), the query runs again on a
    /// fresh one within the open timeout: it must have no effect but its reads.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">No working connection within the open timeout.</exception>
    public Task<T> RunAsync<T>(DataScope scope, Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        Validate(scope, query);
        return connector.ReadAsync(query, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="stream"/>, whose statements each start with <see cref="Scope"/>, once: what it has sent
    /// to a client cannot be taken back, so a connection lost on the way is a <see cref="DatabaseConnectionLostException"/>.
    /// </summary>
    public async Task<T> StreamAsync<T>(DataScope scope, Func<NpgsqlConnection, CancellationToken, Task<T>> stream, CancellationToken cancellationToken)
    {
        Validate(scope, stream);
        await using var connection = await connector.OpenAsync(cancellationToken);
        try
        {
            return await stream(connection, cancellationToken);
        }
        catch (Exception exception) when (DatabaseConnector.IsConnectionLoss(connection, exception))
        {
            throw new DatabaseConnectionLostException($"The connection to {connector.Endpoint} was lost during a read.", mayHaveCommitted: false, exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="query"/> in a read-only transaction that sees no account's rows, committed on success and
    /// rolled back on an exception or a cancellation. For the database's own catalogs (schema checks, readiness), which
    /// must answer even before migration 0009 brought the scope procedure.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var session = await connector.BeginAsync(async (connection, transaction, token) =>
        {
            // Npgsql 10 has no read-only flag on BeginTransaction; this must be the transaction's first statement.
            await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction);
            await readOnly.ExecuteNonQueryAsync(token);
        }, cancellationToken);
        var result = await query(session.Connection, cancellationToken);
        await session.Transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static void Validate<T>(DataScope scope, Func<NpgsqlConnection, CancellationToken, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        // Refused before a connection is taken: a read without an account would see no rows.
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.AccountId, nameof(scope));
    }
}
