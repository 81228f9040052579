using System.Diagnostics;
using InvoiceApi.Data.Migrations;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.Reliability.FaultCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// A column the code uses is dropped under a running function: /readyz turns 503 naming it, requests that need it get a
/// 503 "run the migrations" problem (logged once, loudly), and once the column is back everything serves again
/// without a restart.
/// </summary>
[Trait("Category", Category.Reliability)]
public sealed class SchemaDriftTests(PostgresServer server)
{
    [Fact]
    public async Task A_dropped_column_is_503_naming_it_and_everything_recovers_when_it_is_restored()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(database.RuntimeSocketVariables()), Token);
        using var client = ClientFor(function);
        await using var admin = database.AdminDataSource();
        var clock = Stopwatch.StartNew();
        var created = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("before"));
        Assert.Equal(201, created.Status);
        Assert.Equal(200, (await SendAsync(client, clock, HttpMethod.Get, "/")).Status);
        Assert.Equal(200, (await SendAsync(client, clock, HttpMethod.Get, created.Location!)).Status);

        await ExecuteAsync(admin, "ALTER TABLE invoices DROP COLUMN description");
        var ready = await SendAsync(client, clock, HttpMethod.Get, "/readyz");
        var drifted = await Task.WhenAll(
            SendAsync(client, clock, HttpMethod.Get, "/"),
            SendAsync(client, clock, HttpMethod.Get, created.Location!),
            SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("during")),
            SendAsync(client, clock, HttpMethod.Get, "/?q=paper"));

        Assert.Equal(503, ready.Status);
        Assert.Contains("invoices.description", ready.Body, StringComparison.Ordinal);
        Assert.All(drifted, outcome =>
        {
            Assert.True(outcome.IsServiceUnavailableProblem, outcome.ToString());
            Assert.Equal(ProblemTypes.SchemaMismatch, outcome.ProblemType);
        });
        Assert.Equal(0, await CountAsync(admin, "SELECT count(*) FROM invoices WHERE number = 'during'"));
        // The alarm travels through the function's console logger and a pipe: wait for it before counting.
        await function.WaitForLineAsync(line => line.Contains("SCHEMA DRIFT", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var alarms = function.Output.Where(line => line.Contains("SCHEMA DRIFT", StringComparison.Ordinal)).ToList();
        Assert.True(alarms.Count == 1 && alarms[0].Contains("description", StringComparison.Ordinal), string.Join('\n', function.Output));

        await ExecuteAsync(admin, "ALTER TABLE invoices ADD COLUMN description text CHECK (char_length(description) <= 2000)");
        var recovered = await Task.WhenAll(
            SendAsync(client, clock, HttpMethod.Get, "/readyz"),
            SendAsync(client, clock, HttpMethod.Get, "/"),
            SendAsync(client, clock, HttpMethod.Get, created.Location!),
            SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("after")),
            SendAsync(client, clock, HttpMethod.Get, "/?q=paper"));

        Assert.All(recovered, outcome => Assert.True(outcome.Status is 200 or 201, outcome.ToString()));
    }

    [Fact]
    public async Task A_retyped_column_under_prepared_statements_and_a_missing_read_scope_are_503_and_recover_when_restored()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(database.RuntimeSocketVariables()), Token);
        using var client = ClientFor(function);
        await using var admin = database.AdminDataSource();
        var clock = Stopwatch.StartNew();
        var created = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("before"));
        // One at a time, so the pool's connection sees each text often enough to prepare it.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(200, (await SendAsync(client, clock, HttpMethod.Get, created.Location!)).Status);
        }
        Assert.True(await CountAsync(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND usename <> current_user") >= 1);

        // The same column as another type: a prepared SELECT of it can no longer return what it was prepared with.
        await ExecuteAsync(admin, "ALTER TABLE invoices ALTER COLUMN number TYPE varchar(200)");
        var retyped = await SendAsync(client, clock, HttpMethod.Get, created.Location!);
        var readyRetyped = await SendAsync(client, clock, HttpMethod.Get, "/readyz");
        await ExecuteAsync(admin, "ALTER TABLE invoices ALTER COLUMN number TYPE text");
        var afterRetype = await SendAsync(client, clock, HttpMethod.Get, created.Location!);

        await ExecuteAsync(admin, "DROP PROCEDURE invoice_api_read_scope");
        var unscoped = await SendAsync(client, clock, HttpMethod.Get, created.Location!);
        var readyUnscoped = await SendAsync(client, clock, HttpMethod.Get, "/readyz");
        await ExecuteAsync(admin, MigrationCatalog.Embedded.Single(m => m.Name == "0009_read_scope.sql").Sql);
        var afterRestore = await SendAsync(client, clock, HttpMethod.Get, created.Location!);

        Assert.Equal(ProblemTypes.SchemaMismatch, retyped.ProblemType);
        Assert.True(retyped.IsServiceUnavailableProblem, retyped.ToString());
        Assert.Contains("invoices.number is character varying(200), expected text", readyRetyped.Body, StringComparison.Ordinal);
        Assert.Equal(200, afterRetype.Status);
        Assert.Equal(ProblemTypes.SchemaMismatch, unscoped.ProblemType);
        Assert.Contains("procedure invoice_api_read_scope is missing", readyUnscoped.Body, StringComparison.Ordinal);
        Assert.Equal(200, afterRestore.Status);
    }
}
