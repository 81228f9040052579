using System.Diagnostics;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.Reliability.FaultCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// More slow requests than DB_POOL_MAX: the ones that find no free connection wait up to DB_OPEN_TIMEOUT_SECONDS, then
/// get 503 problem+json with Retry-After; once the slow ones finish, the function serves again at once.
/// </summary>
[Trait("Category", Category.Reliability)]
public sealed class PoolExhaustionTests(PostgresServer server)
{
    private const int PoolSize = 2;
    private const int OpenTimeoutSeconds = 2;

    [Fact]
    public async Task Requests_beyond_the_pool_wait_the_open_timeout_then_get_503_and_the_function_recovers_when_load_drops()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var variables = database.RuntimeSocketVariables();
        variables["DB_POOL_MAX"] = $"{PoolSize}";
        variables["DB_OPEN_TIMEOUT_SECONDS"] = $"{OpenTimeoutSeconds}";
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(variables), Token);
        using var client = ClientFor(function);
        await using var admin = database.AdminDataSource();
        var clock = Stopwatch.StartNew();
        var created = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("locked"));
        Assert.Equal(201, created.Status);

        // Slow for real: the row is locked from outside, so each PATCH holds its pooled connection while it waits for the lock.
        await using var rowLock = await RowLock.TakeAsync(admin, "locked");
        var slow = Enumerable.Range(0, PoolSize).Select(i => SendAsync(client, clock, new HttpMethod("PATCH"), created.Location!,
            $$"""{"description":"slow {{i}}"}""", ifMatch: "*", contentType: "application/merge-patch+json")).ToList();
        await RowLock.WaitForWaitersAsync(admin, database, PoolSize, "every pooled connection waits on the lock");

        var extra = await Task.WhenAll(
            SendAsync(client, clock, HttpMethod.Get, "/"),
            SendAsync(client, clock, HttpMethod.Get, created.Location!),
            SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("extra")));

        Assert.All(extra, outcome =>
        {
            Assert.True(outcome.IsServiceUnavailableProblem, outcome.ToString());
            Assert.InRange(outcome.ElapsedMs, OpenTimeoutSeconds * 1000 - 100, OpenTimeoutSeconds * 1000 + 2500);
        });
        await rowLock.ReleaseAsync();
        Assert.All(await Task.WhenAll(slow), outcome => Assert.Equal(200, outcome.Status));
        var recovered = await Task.WhenAll(
            SendAsync(client, clock, HttpMethod.Get, "/"),
            SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("after")));
        Assert.All(recovered, outcome => Assert.True(outcome.Status is 200 or 201 && outcome.ElapsedMs < 3000, outcome.ToString()));
        Assert.Equal(0, await CountAsync(admin, "SELECT count(*) FROM invoices WHERE number = 'extra'"));
    }
}
