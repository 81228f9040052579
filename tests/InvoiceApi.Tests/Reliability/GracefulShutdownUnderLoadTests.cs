using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.Reliability.FaultCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// SIGTERM while writes are under way: new connections are refused at once, every request already accepted completes
/// (slow ones included), and the process exits with 0 within 8 s; a request the server never accepted wrote nothing.
/// </summary>
[Trait("Category", Category.Reliability)]
public sealed class GracefulShutdownUnderLoadTests(PostgresServer server)
{
    private const int Workers = 4;
    private const int SlowRequests = 2;

    [Fact]
    public async Task Sigterm_under_load_completes_accepted_requests_refuses_new_connections_and_exits_within_8_s()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await FunctionProcess.StartAsync("Invoices", TestAuthority.With(database.RuntimeSocketVariables()), Token);
        using var client = ClientFor(function);
        await using var admin = database.AdminDataSource();
        var clock = Stopwatch.StartNew();
        var created = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody("locked"));
        Assert.Equal(201, created.Status);

        // In flight for real: these PATCHes wait on a row locked from outside until well after SIGTERM.
        await using var rowLock = await RowLock.TakeAsync(admin, "locked");
        var slow = Enumerable.Range(0, SlowRequests).Select(i => SendAsync(client, clock, new HttpMethod("PATCH"), created.Location!,
            $$"""{"description":"slow {{i}}"}""", ifMatch: "*", contentType: "application/merge-patch+json")).ToList();
        var outcomes = new ConcurrentDictionary<string, Outcome>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var number = $"L{worker}-{i}";
                var outcome = await SendAsync(client, clock, HttpMethod.Post, "/", InvoiceBody(number));
                outcomes[number] = outcome;
                if (outcome.TransportError is not null)
                {
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        })).ToList();
        await RowLock.WaitForWaitersAsync(admin, database, SlowRequests, "the slow requests wait on the lock");
        await Task.Delay(500, Token);

        var terminatedAt = clock.ElapsedMilliseconds;
        function.Terminate();
        await WaitUntilAsync(() => RefusesConnectionsAsync(function.Port), TimeSpan.FromSeconds(3), "new connections are refused after SIGTERM");
        var stillRunning = !function.HasExited;
        await Task.Delay(Math.Max(0, 1500 - (int)(clock.ElapsedMilliseconds - terminatedAt)), Token);
        await rowLock.ReleaseAsync();
        var exited = await function.WaitForExitAsync(TimeSpan.FromMilliseconds(Math.Max(0, 8000 - (clock.ElapsedMilliseconds - terminatedAt))));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(stillRunning, "the process did not wait for its requests in flight");
        Assert.True(exited, $"still running {clock.ElapsedMilliseconds - terminatedAt} ms after SIGTERM");
        Assert.Equal(0, function.ExitCode);
        Assert.All(await Task.WhenAll(slow), outcome => Assert.True(outcome.Status == 200, $"slow request: {outcome}"));
        var answered = outcomes.Where(o => o.Value.TransportError is null).ToList();
        Assert.All(answered, o => Assert.True(o.Value.Status == 201, $"{o.Key}: {o.Value}"));
        Assert.Contains(answered, o => o.Value.StartedMs > terminatedAt - 500);
        // A request that got no answer was never accepted: nothing of it was stored.
        var stored = await StoredNumbersAsync(admin);
        Assert.Equal(answered.Select(o => o.Key).Order(StringComparer.Ordinal),
            stored.Keys.Where(number => number.StartsWith('L')).Order(StringComparer.Ordinal));
    }

    private static async Task<bool> RefusesConnectionsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, Token);
            return false;
        }
        // Reset counts as refused too: a connect racing the listener's close is reset by the kernel, never accepted.
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
