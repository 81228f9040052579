using InvoiceApi.Data.Migrations;
using InvoiceApi.Data.Schema;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Migrations;

/// <summary>
/// The verifier reads the real catalogs, so a database whose migrations table says "up to date" while a table,
/// column or index is gone is caught, by name.
/// </summary>
public sealed class SchemaVerifierTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_freshly_migrated_database_matches_the_expected_schema()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);

        Assert.Empty(await VerifyAsync(database));
    }

    [Fact]
    public async Task An_empty_database_reports_every_table_and_procedure_missing()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);

        var differences = await VerifyAsync(database);

        Assert.Equal(
            ExpectedSchema.Tables.Select(t => $"table {t.Name} is missing").Append("procedure invoice_api_read_scope is missing"),
            differences);
    }

    [Fact]
    public async Task A_dropped_column_is_reported_by_name_although_migrations_say_up_to_date()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, "ALTER TABLE invoices DROP COLUMN category");

        var differences = await VerifyAsync(database);

        Assert.Contains("column invoices.category is missing", differences);
        Assert.All(await StatusAsync(database), state => Assert.Equal(MigrationStatus.Applied, state.Status));
    }

    [Fact]
    public async Task A_dropped_table_is_reported_by_name()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        // CASCADE: invoice_documents refers to invoices (its key and its policy), and goes with it as an operator's drop would.
        await ExecuteAsync(database, "DROP TABLE invoices CASCADE");

        var differences = await VerifyAsync(database);

        Assert.Equal("table invoices is missing", differences[0]);
        Assert.All(differences.Skip(1), difference => Assert.Contains("invoice_documents", difference, StringComparison.Ordinal));
        Assert.All(await StatusAsync(database), state => Assert.Equal(MigrationStatus.Applied, state.Status));
    }

    [Fact]
    public async Task A_changed_type_nullability_and_a_missing_index_are_each_reported()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, """
            ALTER TABLE invoices ALTER COLUMN amount TYPE numeric(20,4);
            ALTER TABLE invoices ALTER COLUMN provider DROP NOT NULL;
            DROP INDEX invoices_account_date_idx;
            """);

        var differences = await VerifyAsync(database);

        Assert.Equal(
            [
                "column invoices.provider is nullable, expected NOT NULL",
                "column invoices.amount is numeric(20,4), expected numeric(15,2)",
                "index invoices_account_date_idx on invoices is missing",
            ],
            differences);
    }

    [Fact]
    public async Task The_runtime_role_reads_the_catalogs_the_verifier_needs()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var runtime = database.RuntimeDataSource();
        await using var connection = await runtime.OpenConnectionAsync(Token);

        Assert.Empty(await SchemaVerifier.VerifyAsync(connection, ExpectedSchema.Tables, Token));
    }

    [Fact]
    public async Task Row_level_security_switched_off_is_reported()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, "ALTER TABLE invoices DISABLE ROW LEVEL SECURITY");

        Assert.Equal(["row-level security on invoices is not enabled"], await VerifyAsync(database));
    }

    [Fact]
    public async Task Row_level_security_no_longer_forced_on_the_owner_is_reported()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, "ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY");

        Assert.Equal(["row-level security on invoices is not forced"], await VerifyAsync(database));
    }

    [Fact]
    public async Task A_dropped_policy_is_reported_by_name()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, "DROP POLICY invoices_account_rows ON invoices");

        Assert.Equal(["policy invoices_account_rows on invoices is missing"], await VerifyAsync(database));
    }

    [Fact]
    public async Task A_read_all_policy_widened_beyond_select_is_reported()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, """
            DROP POLICY invoices_read_all_accounts ON invoices;
            CREATE POLICY invoices_read_all_accounts ON invoices USING (current_setting('app.read_all_accounts', true) = 'on');
            """);

        Assert.Equal(["policy invoices_read_all_accounts on invoices applies to ALL, expected SELECT"], await VerifyAsync(database));
    }

    [Fact]
    public async Task A_dropped_disabled_or_replica_only_rollup_trigger_is_reported_by_name()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, """
            DROP TRIGGER invoices_account_versions_update ON invoices;
            ALTER TABLE invoices DISABLE TRIGGER invoices_rollups_insert;
            ALTER TABLE invoices ENABLE REPLICA TRIGGER invoices_dashboard_rollups_delete;
            """);

        Assert.Equal(
            [
                "trigger invoices_rollups_insert on invoices does not fire (disabled); ALTER TABLE invoices ENABLE TRIGGER invoices_rollups_insert",
                "trigger invoices_dashboard_rollups_delete on invoices does not fire (replica only); ALTER TABLE invoices ENABLE TRIGGER invoices_dashboard_rollups_delete",
                "trigger invoices_account_versions_update on invoices is missing",
            ],
            await VerifyAsync(database));
    }

    [Fact]
    public async Task Extra_columns_and_tables_are_fine()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, """
            ALTER TABLE invoices ADD COLUMN future_field text; CREATE TABLE future_table (id int);
            CREATE FUNCTION future_trigger() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
            CREATE TRIGGER future_trigger AFTER INSERT ON invoices FOR EACH STATEMENT EXECUTE FUNCTION future_trigger();
            """);

        Assert.Empty(await VerifyAsync(database));
    }

    private static async Task<IReadOnlyList<string>> VerifyAsync(TestDatabase database)
    {
        await using var dataSource = database.AdminDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        return await SchemaVerifier.VerifyAsync(connection, ExpectedSchema.Tables, Token);
    }

    private static async Task<IReadOnlyList<MigrationState>> StatusAsync(TestDatabase database)
    {
        await using var dataSource = database.AdminDataSource();
        return await new Migrator(dataSource).StatusAsync(Token);
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var dataSource = database.AdminDataSource();
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }
}
