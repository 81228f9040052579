using Npgsql;

namespace InvoiceApi.Data.Scoping;

/// <summary>Sets a <see cref="DataScope"/> on the current transaction, where the row-level security policies read it.</summary>
internal static class ScopeSettings
{
    // set_config(..., true) is local to the transaction: when it ends, a pooled connection carries no caller to the next request.
    private const string Sql = "SELECT set_config('app.user_id', $1, true), set_config('app.read_all_callers', $2, true)";

    internal static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DataScope scope, bool allowReadAll, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(scope, allowReadAll));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement that sets <paramref name="scope"/>, to send in a batch with others (one round trip).</summary>
    internal static NpgsqlBatchCommand Command(DataScope scope, bool allowReadAll)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.UserId);
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = allowReadAll && scope.ReadAllCallers ? "on" : "off" });
        return command;
    }
}
