using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tools.Migrations;

namespace InvoiceApi.Tests.Tools;

/// <summary>The migrator command the pipeline runs as a Cloud Run job: its verbs, output and exit codes.</summary>
public sealed class MigratorCommandTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_applies_then_verifies_and_a_second_run_is_up_to_date()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.SocketVariables();

        var first = await RunAsync(variables, "migrate");
        var second = await RunAsync(variables, "migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied 0001_create_invoices.sql", first.Output, StringComparison.Ordinal);
        Assert.Contains("schema verified", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("up to date", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_pending_then_applied_migrations()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.TcpVariables();

        var before = await RunAsync(variables, "status");
        await RunAsync(variables, "migrate");
        var after = await RunAsync(variables, "status");

        Assert.Matches(@"1\s+pending\s+-\s+0001_create_invoices\.sql", before.Output);
        Assert.Matches(@"1\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+0001_create_invoices\.sql", after.Output);
    }

    [Fact]
    public async Task Verify_fails_naming_a_missing_column()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using (var admin = database.AdminDataSource())
        {
            await using var command = admin.CreateCommand("ALTER TABLE invoices DROP COLUMN nit");
            await command.ExecuteNonQueryAsync(Token);
        }

        var result = await RunAsync(database.SocketVariables(), "verify");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("column invoices.nit is missing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_database_settings_is_exit_code_2_listing_the_variables()
    {
        var result = await RunAsync([], "status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("INSTANCE_CONNECTION_NAME", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_verb_prints_usage()
    {
        var result = await RunAsync([], "upgrade");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: migrator <migrate|verify|status>", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_is_exit_code_3_without_the_password()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.SocketVariables();
        variables["DB_PASS"] = "not-the-password-91";

        var result = await RunAsync(variables, "migrate");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("password authentication failed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-91", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrate", "migrate the schema")]
    [InlineData("verify", null)]
    [InlineData("status", "read the migration history")]
    public async Task The_runtime_login_is_exit_code_4_naming_the_role_to_use(string verb, string? refused)
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);

        var result = await RunAsync(database.RuntimeSocketVariables(), verb);

        if (refused is null)
        {
            // Reading the catalogs needs no privilege: the runtime login may verify.
            Assert.Equal(0, result.ExitCode);
            return;
        }
        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"The login '{PostgresServer.RuntimeUser}' may not {refused} (permission denied", result.Error, StringComparison.Ordinal);
        Assert.Contains("Run the migrator as the role that owns the schema", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string?> variables, string verb)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await MigratorCommand.RunAsync([verb], variables.GetValueOrDefault, output, error, Token);
        return (exitCode, output.ToString(), error.ToString());
    }
}
