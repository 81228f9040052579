using InvoiceApi.Data.Migrations;
using InvoiceApi.Data.Readiness;
using InvoiceApi.Data.Schema;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Migrations;

/// <summary>
/// The row-level security migration as it runs on Cloud SQL: the migrator logs in as an owner that is no superuser
/// (only CREATEROLE, like Cloud SQL's postgres user), and the runtime login the operator adds afterwards is accepted.
/// </summary>
public sealed class RowLevelSecurityMigrationTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_owner_with_only_createrole_migrates_and_the_runtime_login_then_passes_the_checks()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var owner = await TemporaryLogin.CreateAsync(database, "CREATEROLE", Token);
        await server.ExecuteAdminAsync($"ALTER DATABASE {database.Name} OWNER TO {owner.Name}", Token);

        await using (var asOwner = owner.DataSource())
        {
            var applied = await new Migrator(asOwner).MigrateAsync(Token);
            Assert.Equal(MigrationCatalog.Embedded.Count, applied.Count);
            await using var connection = await asOwner.OpenConnectionAsync(Token);
            var ownerProblem = await RuntimeLoginCheck.FindProblemAsync(connection, Token);
            Assert.Contains($"'{owner.Name}' has CREATEROLE (it could grant itself the owner's role) and owns the invoices table", ownerProblem, StringComparison.Ordinal);
        }
        await using var runtime = database.RuntimeDataSource();
        await using var runtimeConnection = await runtime.OpenConnectionAsync(Token);

        Assert.Null(await RuntimeLoginCheck.FindProblemAsync(runtimeConnection, Token));
        Assert.Empty(await SchemaVerifier.VerifyAsync(runtimeConnection, ExpectedSchema.Tables, Token));
        Assert.Equal(owner.Name, await ScalarAsync(runtimeConnection, "SELECT tableowner FROM pg_tables WHERE tablename = 'invoices'"));
    }

    [Fact]
    public async Task Even_the_owner_reads_no_invoice_without_a_caller_because_security_is_forced()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var owner = await TemporaryLogin.CreateAsync(database, "CREATEROLE", Token);
        await server.ExecuteAdminAsync($"ALTER DATABASE {database.Name} OWNER TO {owner.Name}", Token);
        await using var asOwner = owner.DataSource();
        await new Migrator(asOwner).MigrateAsync(Token);
        await using (var admin = database.AdminDataSource())
        {
            // The rollup trigger (0004) writes as the owner, whom FORCE holds to the account in app.account_id: seed as that account.
            await using var seed = admin.CreateCommand("""
                SELECT set_config('app.account_id', 'caller-a', false);
                INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), 'caller-a', 'caller-a', 'caller-a', current_date, 'Acme', 1, 'office')
                """);
            await seed.ExecuteNonQueryAsync(Token);
        }
        await using var connection = await asOwner.OpenConnectionAsync(Token);

        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM invoices"));
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Token);
    }
}
