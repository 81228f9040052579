using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Sets a <see cref="DataScope"/> (and, for reads, read-only mode) on the current transaction, where the row-level
/// security policies read it. One statement, so it travels with the BEGIN Npgsql puts in front of it: one round trip.
/// </summary>
internal static class ScopeSettings
{
    // set_config(..., true) is local to the transaction: when it ends, a pooled connection carries no caller to the next request.
    private const string CallerSql = "SELECT set_config('app.user_id', $1, true), set_config('app.read_all_callers', $2, true)";

    // transaction_read_only set locally is SET TRANSACTION READ ONLY, and may be turned on at any point of a transaction;
    // in the same statement as the scope it costs no round trip of its own.
    private const string ReadOnlyCallerSql = CallerSql + ", set_config('transaction_read_only', 'on', true)";

    private const string ReadOnlySql = "SELECT set_config('transaction_read_only', 'on', true)";

    /// <summary>Holds a read-write transaction to <paramref name="scope"/>'s own rows.</summary>
    internal static Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DataScope scope, CancellationToken cancellationToken) =>
        RunAsync(CallerSql, connection, transaction, scope, allowReadAll: false, cancellationToken);

    /// <summary>
    /// Makes the transaction refuse writes and, when <paramref name="scope"/> is given, shows it the scope's rows (every
    /// caller's for an admin's read-all); without one it sees no caller's rows at all.
    /// </summary>
    internal static Task ApplyReadOnlyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DataScope? scope, CancellationToken cancellationToken) =>
        scope is null
            ? RunAsync(ReadOnlySql, connection, transaction, scope: null, allowReadAll: false, cancellationToken)
            : RunAsync(ReadOnlyCallerSql, connection, transaction, scope, allowReadAll: true, cancellationToken);

    private static async Task RunAsync(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, DataScope? scope, bool allowReadAll,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (scope is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(scope.UserId);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.UserId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = allowReadAll && scope.ReadAllCallers ? "on" : "off" });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
