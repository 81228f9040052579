using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Hosting;

/// <summary>SIGTERM stops the process inside Cloud Run's 10 s window, after the requests already in flight are answered.</summary>
public sealed class GracefulShutdownTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_finishes_the_request_in_flight_then_exits_within_8_seconds()
    {
        // A database host that accepts connections and never answers keeps /readyz busy for its full 2 s.
        using var silentDatabase = new TcpListener(IPAddress.Loopback, 0);
        silentDatabase.Start();
        await using var function = await FunctionProcess.StartAsync("Stats", TestAuthority.With(new()
        {
            ["INSTANCE_HOST"] = "127.0.0.1",
            ["DB_PORT"] = ((IPEndPoint)silentDatabase.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture),
            ["DB_USER"] = "app", ["DB_NAME"] = "invoices",
        }), Token);

        var inFlight = function.Client.GetAsync("/readyz", Token);
        // The readiness check has connected to the silent database: the request is in flight for sure.
        using var probe = await silentDatabase.AcceptTcpClientAsync(Token);
        var clock = Stopwatch.StartNew();
        function.Terminate();
        using var response = await inFlight;
        var exited = await function.WaitForExitAsync(TimeSpan.FromSeconds(8));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(exited, $"still running {clock.Elapsed} after SIGTERM");
        Assert.Equal(0, function.ExitCode);
        Assert.True(FunctionHost.ShutdownTimeout < TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task After_sigterm_new_connections_are_refused()
    {
        await using var function = await FunctionProcess.StartAsync("Stats", TestAuthority.With(new()
        {
            ["INSTANCE_HOST"] = "127.0.0.1", ["DB_USER"] = "app", ["DB_NAME"] = "invoices",
        }), Token);

        function.Terminate();
        await function.WaitForExitAsync(TimeSpan.FromSeconds(8));

        await Assert.ThrowsAsync<HttpRequestException>(() => function.Client.GetAsync("/healthz", Token));
    }
}
