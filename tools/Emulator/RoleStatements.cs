using Npgsql;

namespace InvoiceApi.Tools.Emulator;

/// <summary>The few statements the emulator runs to set up roles: existence checks and role DDL.</summary>
internal static class RoleStatements
{
    internal static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter<string> { TypedValue = name } } };
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    internal static Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken) =>
        ExistsAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role, cancellationToken);

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Role DDL takes no parameters; the literal is quoted as PostgreSQL quotes it.
    internal static string QuoteLiteral(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
