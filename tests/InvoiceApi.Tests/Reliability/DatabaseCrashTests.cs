using System.Collections.Concurrent;
using System.Diagnostics;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.Reliability.FaultCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// PostgreSQL crashes (pg_ctl stop -m immediate) under a write load and comes back: the function answers every request
/// within its open timeout with 503 + Retry-After while the database is down, serves again within 2 s of its return
/// without a restart, and every invoice it answered 201 for is stored exactly once.
/// </summary>
[Collection(CrashableClusterGroup.Name)]
[Trait("Category", Category.Reliability)]
public sealed class DatabaseCrashTests(CrashableCluster crashable)
{
    private const int Workers = 6;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_crash_mid_load_is_503_while_down_then_serves_within_2_s_and_keeps_every_201_exactly_once()
    {
        var database = await crashable.CreateDatabaseAsync(Token);
        var variables = crashable.RuntimeVariables(database);
        variables["DB_OPEN_TIMEOUT_SECONDS"] = "3";
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(variables), Token);
        using var client = ClientFor(function);
        var clock = Stopwatch.StartNew();
        Assert.Equal(201, (await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("warm-up"), "warm-up")).Status);

        var outcomes = new ConcurrentDictionary<string, Outcome>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var number = $"L{worker}-{i}";
                outcomes[number] = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody(number), idempotencyKey: number);
            }
        })).ToList();

        await Task.Delay(1500, Token);
        var crashedAt = clock.ElapsedMilliseconds;
        await crashable.Cluster.StopImmediateAsync(Token);
        var downAt = clock.ElapsedMilliseconds;
        await Task.Delay(Outage, Token);
        var restartAt = clock.ElapsedMilliseconds;
        await crashable.Cluster.RestartAsync(Token);
        var upAt = clock.ElapsedMilliseconds;
        await Task.Delay(3500, Token);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = outcomes.OrderBy(o => o.Value.StartedMs).ToList();
        var report = $"crash at {crashedAt} ms, down at {downAt}, restart at {restartAt}, up at {upAt}; {all.Count} requests, those not 201:\n"
            + string.Join('\n', all.Where(o => o.Value.Status != 201).Select(o => $"{o.Key} {o.Value}"));
        Assert.All(all, o => Assert.True(o.Value.Status is 201 || o.Value.IsServiceUnavailableProblem, $"{o.Key}: {o.Value}\n{report}"));
        Assert.All(all, o => Assert.True(o.Value.ElapsedMs <= 5000, $"{o.Key} took {o.Value.ElapsedMs} ms\n{report}"));
        // Ended while the server was stopped: nothing could have succeeded (a request that outlasts the outage may).
        var duringOutage = all.Where(o => o.Value.EndedMs > downAt + 200 && o.Value.EndedMs < restartAt).ToList();
        Assert.True(duringOutage.Count >= Workers, $"too few requests inside the outage\n{report}");
        Assert.All(duringOutage, o => Assert.True(o.Value.Status == 503, $"{o.Key} {o.Value}\n{report}"));
        // Back: served at once, with no restart of the function and no request paying for the pool's dead connections.
        var afterReturn = all.Where(o => o.Value.StartedMs >= upAt).ToList();
        Assert.True(afterReturn.Count >= Workers, $"too few requests after the return\n{report}");
        Assert.All(afterReturn, o => Assert.True(o.Value.Status == 201 && o.Value.ElapsedMs < 2000, $"{o.Key} {o.Value} after the database's return\n{report}"));

        await AssertEveryInvoiceStoredOnceAsync(client, clock, database, outcomes);
    }

    // Each 201 is stored; a 503 may or may not have been (the commit's answer can be lost): its retry with the same key settles it.
    private async Task AssertEveryInvoiceStoredOnceAsync(HttpClient client, Stopwatch clock, string database, ConcurrentDictionary<string, Outcome> outcomes)
    {
        await using var admin = crashable.AdminDataSource(database);
        var stored = await StoredNumbersAsync(admin);
        foreach (var (number, outcome) in outcomes.Where(o => o.Value.Status == 201))
        {
            Assert.True(stored.GetValueOrDefault(number) == 1, $"{number} answered 201 but stored {stored.GetValueOrDefault(number)} times");
        }
        foreach (var (number, _) in outcomes.Where(o => o.Value.Status != 201))
        {
            var retry = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody(number), idempotencyKey: number);
            Assert.True(retry.Status == 201, $"retry of {number}: {retry}");
        }
        stored = await StoredNumbersAsync(admin);
        Assert.All(outcomes.Keys, number => Assert.Equal(1, stored.GetValueOrDefault(number)));
        Assert.Equal(outcomes.Count + 1, stored.Values.Sum());
    }
}
