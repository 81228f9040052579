using System.Diagnostics;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.Reliability.FaultCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>50 concurrent POST / with one Idempotency-Key and body: one invoice, 50 identical answers.</summary>
[Trait("Category", Category.Reliability)]
public sealed class IdempotencyUnderPressureTests(PostgresServer server)
{
    [Fact]
    public async Task Fifty_concurrent_posts_with_one_key_create_one_invoice_and_get_fifty_identical_answers()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(database.RuntimeSocketVariables()), Token);
        using var client = ClientFor(function);
        var clock = Stopwatch.StartNew();
        Assert.Equal(201, (await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("warm-up"))).Status);
        var body = InvoiceBody("burst");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SendAsync(client, clock, HttpMethod.Post, "/", body, "burst-key")));

        Assert.All(outcomes, outcome => Assert.True(outcome.Status == 201, outcome.ToString()));
        Assert.Single(outcomes.Select(o => (o.Status, o.Body, o.Location, o.ETag)).Distinct());
        Assert.NotNull(outcomes[0].ETag);
        await using var admin = database.AdminDataSource();
        Assert.Equal(1, await CountAsync(admin, "SELECT count(*) FROM invoices WHERE number = 'burst'"));
    }
}

/// <summary>
/// The database crashes after it committed a keyed POST and before the function heard so: the client gets a 503 that
/// says the write may have been saved, and its retry with the key replays the stored invoice instead of writing a second.
/// </summary>
[Collection(CrashableClusterGroup.Name)]
[Trait("Category", Category.Reliability)]
public sealed class IdempotencyAcrossCrashTests(CrashableCluster crashable)
{
    [Fact]
    public async Task A_crash_between_commit_and_answer_then_a_retry_with_the_key_never_creates_a_second_invoice()
    {
        var database = await crashable.CreateDatabaseAsync(Token);
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(crashable.RuntimeVariables(database)), Token);
        using var client = ClientFor(function);
        var clock = Stopwatch.StartNew();
        Assert.Equal(201, (await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("warm-up"))).Status);

        // A synchronous standby that never answers holds every COMMIT after its commit record is flushed: committed, not yet acknowledged.
        await crashable.ExecuteAsync("postgres", "ALTER SYSTEM SET synchronous_standby_names = 'never_connects'", Token);
        await crashable.ExecuteAsync("postgres", "SELECT pg_reload_conf()", Token);
        Outcome first;
        try
        {
            // The reload reaches the server's processes in their own time (commits wait only once the checkpointer has
            // it): a POST sent at once could commit before it and never wait. A probe commit that waits shows it is in force.
            await using (var probe = crashable.AdminDataSource(database))
            {
                await WaitUntilAsync(() => CommitWaitsAsync(probe), TimeSpan.FromSeconds(10), "a commit waits for the standby");
            }
            var posting = SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("crash"), idempotencyKey: "crash-key");
            await using (var admin = crashable.AdminDataSource(database))
            {
                await WaitUntilAsync(async () => await CountAsync(admin,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND usename = $2 AND wait_event = 'SyncRep'",
                    database, CrashableCluster.RuntimeUser) == 1, TimeSpan.FromSeconds(10), "the POST's COMMIT waits for the standby");
            }
            await crashable.Cluster.StopImmediateAsync(Token);
            first = await posting;
        }
        finally
        {
            if (!await IsRunningAsync())
            {
                await crashable.Cluster.RestartAsync(Token);
            }
            await crashable.ExecuteAsync("postgres", "ALTER SYSTEM RESET synchronous_standby_names", Token);
            await crashable.ExecuteAsync("postgres", "SELECT pg_reload_conf()", Token);
        }

        Assert.True(first.IsServiceUnavailableProblem, first.ToString());
        Assert.True(first.ElapsedMs < 5000, first.ToString());
        Assert.Contains("Idempotency-Key", first.Body, StringComparison.Ordinal);
        await using var check = crashable.AdminDataSource(database);
        Assert.Equal(1, await CountAsync(check, "SELECT count(*) FROM invoices WHERE number = 'crash'"));

        var retry = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("crash"), idempotencyKey: "crash-key");

        Assert.True(retry.Status == 201, retry.ToString());
        var storedId = await CountAsync(check, "SELECT count(*) FROM invoices WHERE number = 'crash' AND $1 LIKE '%' || id::text", retry.Location!);
        Assert.Equal(1, storedId);
        Assert.Equal(1, await CountAsync(check, "SELECT count(*) FROM invoices WHERE number = 'crash'"));
    }

    // A commit that takes over half a second here waits for the standby; the cancel ends its wait (it committed locally).
    private static async Task<bool> CommitWaitsAsync(Npgsql.NpgsqlDataSource admin)
    {
        await using var connection = await admin.OpenConnectionAsync(Token);
        // Writes WAL (a catalog row), as only such a commit waits for a synchronous standby.
        await using var command = new Npgsql.NpgsqlCommand("CREATE TEMP TABLE sync_probe (x int)", connection);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();
        try
        {
            await command.ExecuteScalarAsync(patience.Token);
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            return true;
        }
        return clock.ElapsedMilliseconds >= 500;
    }

    private async Task<bool> IsRunningAsync()
    {
        try
        {
            await crashable.ExecuteAsync("postgres", "SELECT 1", Token);
            return true;
        }
        catch (Npgsql.NpgsqlException)
        {
            return false;
        }
    }
}
