using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Sets a <see cref="WriteScope"/> on the current transaction, where the row-level security policies read it. (A read
/// sets its <see cref="DataScope"/> with the CALL in front of its query: ReadOnlyQuery.Scope, migration 0009.)
/// </summary>
internal static class ScopeSettings
{
    // set_config(..., true) is local to the transaction: when it ends, a pooled connection carries no account to the next request.
    // A write never reads across accounts: app.read_all_accounts is off, whatever the request asked.
    private const string WriteSql = """
        SELECT set_config('app.account_id', $1, true), set_config('app.account_role', $2, true), set_config('app.operation', $3, true),
               set_config('app.read_all_accounts', 'off', true)
        """;

    internal static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, WriteScope scope, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.AccountId);
        await using var command = new NpgsqlCommand(WriteSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.AccountId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.Role });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.Operation });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
