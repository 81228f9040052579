using System.Diagnostics;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.Reliability.FaultCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// pg_terminate_backend on every server process of the function's pool leaves it holding dead connections: the next
/// requests, reads and writes, still succeed, because a connection found dead before any statement ran is replaced.
/// </summary>
[Trait("Category", Category.Reliability)]
public sealed class BrokenPoolConnectionTests(PostgresServer server)
{
    private const int PoolSize = 4;

    [Fact]
    public async Task After_every_pooled_connection_is_terminated_the_next_requests_succeed()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var variables = database.RuntimeSocketVariables();
        variables["DB_POOL_MAX"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(variables), Token);
        using var client = ClientFor(function);
        await using var admin = database.AdminDataSource();
        var clock = Stopwatch.StartNew();
        var created = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("first"));
        Assert.Equal(201, created.Status);

        for (var round = 0; round < 2; round++)
        {
            await FillThePoolAsync(client, clock, admin, database.Name);
            var terminated = await CountAsync(admin,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND usename = $2",
                database.Name, PostgresServer.RuntimeUser);
            Assert.True(terminated >= 2, $"only {terminated} pooled connections to terminate");
            await WaitUntilAsync(async () => await PoolSessionsAsync(admin, database.Name) == 0, TimeSpan.FromSeconds(5), "terminated sessions gone");

            var next = await Task.WhenAll(Enumerable.Range(0, 2 * PoolSize).Select(i => (i % 4) switch
            {
                0 => SendAsync(client, clock, HttpMethod.Get, "/"),
                1 => SendAsync(client, clock, HttpMethod.Get, created.Location!),
                2 => SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody($"r{round}-{i}")),
                _ => SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody($"r{round}-{i}"), idempotencyKey: $"r{round}-{i}"),
            }));

            Assert.All(next, outcome => Assert.True(outcome.Status is 200 or 201, outcome.ToString()));
        }
        Assert.Equal(1 + 2 * PoolSize, await CountAsync(admin, "SELECT count(*) FROM invoices"));
    }

    // Concurrent reads make the pool open several connections, each left idle for the termination.
    private static async Task FillThePoolAsync(HttpClient client, Stopwatch clock, Npgsql.NpgsqlDataSource admin, string database)
    {
        await WaitUntilAsync(async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, 2 * PoolSize).Select(_ => SendAsync(client, clock, HttpMethod.Get, "/")));
            return await PoolSessionsAsync(admin, database) >= 2;
        }, TimeSpan.FromSeconds(10), "the pool holds at least two connections");
    }

    private static Task<long> PoolSessionsAsync(Npgsql.NpgsqlDataSource admin, string database) =>
        CountAsync(admin, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND usename = $2", database, PostgresServer.RuntimeUser);
}
