using System.Collections.Concurrent;
using InvoiceApi.Data.Connection;
using InvoiceApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>With STATS_READ_REPLICA_* set, figures come from the replica, and from the primary (with a warning) when it is unreachable.</summary>
public sealed class ReadReplicaTests(PostgresServer server)
{
    private static readonly DateOnly LastMonth = StatsApp.CurrentMonth.AddMonths(-1);

    [Fact]
    public async Task Figures_are_read_from_the_replica_when_it_answers()
    {
        // A second database stands in for the replica; its different rows show which one answered.
        var replica = await server.CreateDatabaseAsync(migrated: true, TestContext.Current.CancellationToken);
        await using (var replicaAdmin = replica.AdminDataSource())
        {
            await using var insert = replicaAdmin.CreateCommand(
                $"INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), 'caller-a', 'caller-a', 'caller-a', DATE '{StatsApp.Iso(LastMonth)}', 'Replica', 42.00, 'X')");
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        await using var app = await StatsApp.StartAsync(server, new() { ["STATS_READ_REPLICA_URL"] = replica.SocketUrlVariables()["DATABASE_URL"] });
        await app.InsertAsync(StatsApp.CallerA, LastMonth, 7.00m);

        var cop = DashboardFiguresTests.Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard"), "COP");

        Assert.Equal("1 42.00", DashboardFiguresTests.CountAndTotal(cop));
    }

    [Theory]
    [InlineData("socket")]
    [InlineData("tcp")]
    public async Task An_unreachable_replica_falls_back_to_the_primary_with_one_warning(string form)
    {
        var settings = form == "socket"
            ? new Dictionary<string, string?> { ["STATS_READ_REPLICA_INSTANCE_CONNECTION_NAME"] = "test-project:local:no-such-replica" }
            : new Dictionary<string, string?> { ["STATS_READ_REPLICA_HOST"] = "127.0.0.1", ["STATS_READ_REPLICA_PORT"] = "1" };
        await using var app = await StatsApp.StartAsync(server, settings);
        var logs = new CapturedLogs();
        app.Function.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.InsertAsync(StatsApp.CallerA, LastMonth, 7.00m);

        var first = DashboardFiguresTests.Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard"), "COP");
        var trend = await StatsApp.GetJsonAsync(app.A, "/trend");

        Assert.Equal("1 7.00", DashboardFiguresTests.CountAndTotal(first));
        Assert.Equal("1 7.00", DashboardFiguresTests.CountAndTotal(DashboardFiguresTests.Currency(trend, "COP").GetProperty("series")[10]));
        var warning = Assert.Single(logs.Lines, line => line.StartsWith("Warning: Read replica", StringComparison.Ordinal));
        Assert.Contains(form == "socket" ? "no-such-replica" : "127.0.0.1:1", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Database.Server.Admin.Password ?? "(none)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_refuses_a_replica_login_the_wall_does_not_hold_and_accepts_a_runtime_one_or_none_reachable()
    {
        var replica = await server.CreateDatabaseAsync(migrated: true, TestContext.Current.CancellationToken);
        // The replica logged in as the superuser (its URL form carries the admin login).
        await using var privileged = await StatsApp.StartAsync(server, new() { ["STATS_READ_REPLICA_URL"] = replica.SocketUrlVariables()["DATABASE_URL"] },
            asRuntimeRole: true);
        await using var runtime = await StatsApp.StartAsync(server,
            replica.RuntimeSocketVariables().ToDictionary(pair => $"STATS_READ_REPLICA_{pair.Key}", pair => pair.Value), asRuntimeRole: true);
        await using var unreachable = await StatsApp.StartAsync(server,
            new() { ["STATS_READ_REPLICA_INSTANCE_CONNECTION_NAME"] = "test-project:local:no-such-replica" }, asRuntimeRole: true);

        using var refused = await Hosting.Readyz.GetAsync(privileged.Function.AnonymousClient, TestContext.Current.CancellationToken);
        using var accepted = await Hosting.Readyz.GetAsync(runtime.Function.AnonymousClient, TestContext.Current.CancellationToken);
        using var fallingBack = await Hosting.Readyz.GetAsync(unreachable.Function.AnonymousClient, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var replicaProblems = problem.GetProperty("errors").GetProperty("read replica").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(replicaProblems, p => p.StartsWith("Read replica: ", StringComparison.Ordinal) && p.Contains("superuser", StringComparison.OrdinalIgnoreCase));
        Assert.False(problem.GetProperty("errors").TryGetProperty("database", out _));
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, fallingBack.StatusCode);
    }

    [Fact]
    public void Replica_settings_resolve_in_the_primarys_three_forms_and_name_themselves_when_wrong()
    {
        var none = ReadReplicaEndpoint.Resolve("STATS_READ_REPLICA", name => name == "DB_USER" ? "u" : null);
        var socket = ReadReplicaEndpoint.Resolve("STATS_READ_REPLICA", name => name switch
        {
            "STATS_READ_REPLICA_INSTANCE_CONNECTION_NAME" => "p:r:replica", "DB_USER" => "u", "DB_NAME" => "d", _ => null,
        });
        // The primary's INSTANCE_UNIX_SOCKET given as its full socket directory, as Google's samples do: the replica's is beside it.
        var besidePrimary = ReadReplicaEndpoint.Resolve("STATS_READ_REPLICA", name => name switch
        {
            "INSTANCE_CONNECTION_NAME" => "p:r:primary", "INSTANCE_UNIX_SOCKET" => "/cloudsql/p:r:primary/",
            "STATS_READ_REPLICA_INSTANCE_CONNECTION_NAME" => "p:r:replica", "DB_USER" => "u", "DB_NAME" => "d", _ => null,
        });
        var url = ReadReplicaEndpoint.Resolve("STATS_READ_REPLICA", name => name == "STATS_READ_REPLICA_URL" ? "postgresql://r:pw@replica.internal:6432/db" : null);
        var error = Assert.Throws<DatabaseConfigurationException>(() =>
            ReadReplicaEndpoint.Resolve("STATS_READ_REPLICA", name => name == "STATS_READ_REPLICA_INSTANCE_CONNECTION_NAME" ? "not-an-instance" : null));

        Assert.Null(none);
        Assert.Equal("/cloudsql/p:r:replica", socket!.Host);
        Assert.Equal("/cloudsql/p:r:replica", besidePrimary!.Host);
        Assert.Equal(("replica.internal", 6432, "r"), (url!.Host, url.Port, url.User));
        Assert.Contains("STATS_READ_REPLICA_INSTANCE_CONNECTION_NAME", error.Message, StringComparison.Ordinal);
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public IEnumerable<string> Lines => Queue;

        public ILogger CreateLogger(string categoryName) => new Logger(Queue);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> queue) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                queue.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
