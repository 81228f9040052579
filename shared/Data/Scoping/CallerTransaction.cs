using InvoiceApi.Data.Connection;
using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Runs writes for one caller in a read-write transaction that always ends: committed when the work returns, rolled
/// back on an exception or a cancellation; the connection goes back to the pool either way, never "idle in transaction".
/// Row-level security holds every statement in it to the caller's own rows, whatever the SQL says.
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
        await using var connection = await connector.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A write never reads across callers: an admin's read-all applies to read-only transactions alone.
        await ScopeSettings.ApplyAsync(connection, transaction, DataScope.Of(userId), allowReadAll: false, cancellationToken);
        var result = await work(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
