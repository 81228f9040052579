using Dapper;
using Npgsql;

namespace InvoiceApi.Data.Schema;

/// <summary>
/// Compares the live database (tables, columns with type and nullability, indexes, row-level security and its
/// policies, triggers, and the procedures every read calls, read from the catalogs of the current schema) with <see cref="ExpectedSchema"/> and names every
/// difference. Extra tables, columns, policies or triggers are fine: a migration may add them before the code that uses them ships.
/// </summary>
public static class SchemaVerifier
{
    /// <summary>Every difference, as sentences naming the table, column, index or policy; empty when the schema matches.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(NpgsqlConnection connection, IReadOnlyList<ExpectedTable> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(expected);
        cancellationToken.ThrowIfCancellationRequested();
        var columns = (await connection.QueryAsync<LiveColumn>("""
            SELECT c.relname AS table_name, a.attname AS column_name,
                   format_type(a.atttypid, a.atttypmod) AS column_type, a.attnotnull AS not_null
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = current_schema()::regnamespace
              AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            """)).ToLookup(column => column.TableName);
        cancellationToken.ThrowIfCancellationRequested();
        var indexes = (await connection.QueryAsync<LiveIndex>("""
            SELECT t.relname AS table_name, i.relname AS index_name, x.indisvalid AS is_valid
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = current_schema()::regnamespace
            """)).ToLookup(index => index.TableName);
        cancellationToken.ThrowIfCancellationRequested();
        var tables = (await connection.QueryAsync<LiveTable>("""
            SELECT relname AS table_name, relrowsecurity AS row_security, relforcerowsecurity AS force_row_security
            FROM pg_class
            WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
            """)).ToDictionary(table => table.TableName, StringComparer.Ordinal);
        cancellationToken.ThrowIfCancellationRequested();
        var policies = (await connection.QueryAsync<LivePolicy>("""
            SELECT c.relname AS table_name, p.polname AS policy_name,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command
            FROM pg_policy p
            JOIN pg_class c ON c.oid = p.polrelid
            WHERE c.relnamespace = current_schema()::regnamespace
            """)).ToLookup(policy => policy.TableName);
        cancellationToken.ThrowIfCancellationRequested();
        var triggers = (await connection.QueryAsync<LiveTrigger>("""
            SELECT c.relname AS table_name, t.tgname AS trigger_name, t.tgenabled::text AS enabled
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
            """)).ToLookup(trigger => trigger.TableName);
        cancellationToken.ThrowIfCancellationRequested();
        var procedures = (await connection.QueryAsync<string>("""
            SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND prokind = 'p'
            """)).ToHashSet(StringComparer.Ordinal);
        return expected.SelectMany(table => tables.TryGetValue(table.Name, out var live)
            ? CompareColumns(table, columns[table.Name].ToList())
                .Concat(CompareIndexes(table, indexes[table.Name].ToList()))
                .Concat(CompareRowSecurity(table, live, policies[table.Name].ToList()))
                .Concat(CompareTriggers(table, triggers[table.Name].ToList()))
            : [$"table {table.Name} is missing"])
            .Concat(ExpectedSchema.Procedures.Where(name => !procedures.Contains(name)).Select(name => $"procedure {name} is missing"))
            .ToList();
    }

    // A trigger that is missing, disabled or set to fire only on replicas stops keeping its tables exact, and nothing fails.
    private static IEnumerable<string> CompareTriggers(ExpectedTable table, List<LiveTrigger> triggers)
    {
        foreach (var name in table.Triggers)
        {
            var live = triggers.FirstOrDefault(t => t.TriggerName == name);
            if (live is null)
            {
                yield return $"trigger {name} on {table.Name} is missing";
            }
            else if (live.Enabled is not ("O" or "A"))
            {
                yield return $"trigger {name} on {table.Name} does not fire ({(live.Enabled == "D" ? "disabled" : "replica only")}); ALTER TABLE {table.Name} ENABLE TRIGGER {name}";
            }
        }
    }

    private static IEnumerable<string> CompareColumns(ExpectedTable table, List<LiveColumn> columns)
    {
        foreach (var expected in table.Columns)
        {
            var live = columns.FirstOrDefault(c => c.ColumnName == expected.Name);
            if (live is null)
            {
                yield return $"column {table.Name}.{expected.Name} is missing";
                continue;
            }
            if (live.ColumnType != expected.Type)
            {
                yield return $"column {table.Name}.{expected.Name} is {live.ColumnType}, expected {expected.Type}";
            }
            if (live.NotNull == expected.Nullable)
            {
                yield return $"column {table.Name}.{expected.Name} is {(live.NotNull ? "NOT NULL" : "nullable")}, expected {(expected.Nullable ? "nullable" : "NOT NULL")}";
            }
        }
    }

    private static IEnumerable<string> CompareIndexes(ExpectedTable table, List<LiveIndex> indexes)
    {
        foreach (var indexName in table.Indexes)
        {
            var live = indexes.FirstOrDefault(i => i.IndexName == indexName);
            if (live is null)
            {
                yield return $"index {indexName} on {table.Name} is missing";
            }
            else if (!live.IsValid)
            {
                yield return $"index {indexName} on {table.Name} is invalid (a failed concurrent build); drop and recreate it";
            }
        }
    }

    // Without the policies, or without FORCE, one query that forgets its caller filter would read every caller's rows.
    private static IEnumerable<string> CompareRowSecurity(ExpectedTable table, LiveTable live, List<LivePolicy> policies)
    {
        if (table.ForcedRowLevelSecurity && !live.RowSecurity)
        {
            yield return $"row-level security on {table.Name} is not enabled";
        }
        if (table.ForcedRowLevelSecurity && !live.ForceRowSecurity)
        {
            yield return $"row-level security on {table.Name} is not forced";
        }
        foreach (var expected in table.Policies)
        {
            var policy = policies.FirstOrDefault(p => p.PolicyName == expected.Name);
            if (policy is null)
            {
                yield return $"policy {expected.Name} on {table.Name} is missing";
            }
            else if (policy.Command != expected.Command)
            {
                yield return $"policy {expected.Name} on {table.Name} applies to {policy.Command}, expected {expected.Command}";
            }
        }
    }
}
