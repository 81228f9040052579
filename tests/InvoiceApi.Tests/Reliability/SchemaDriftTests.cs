using System.Diagnostics;
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
}
