using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>Sets a <see cref="DataScope"/> on the current transaction, where the row-level security policies read it.</summary>
internal static class ScopeSettings
{
    // set_config(..., true) is local to the transaction: when it ends, a pooled connection carries no caller to the next request.
    private const string Sql = "SELECT set_config('app.user_id', $1, true), set_config('app.read_all_callers', $2, true)";

    internal static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DataScope scope, bool allowReadAll, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.UserId);
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = allowReadAll && scope.ReadAllCallers ? "on" : "off" });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
