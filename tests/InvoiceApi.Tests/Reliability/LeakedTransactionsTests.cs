using System.Diagnostics;
using System.Globalization;
using InvoiceApi.Data.Connection;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// No leaked transactions: 10,000 mixed requests against real Invoices and Stats processes, one in ten abandoned
/// mid-request, leave no session "idle in transaction" and every pooled connection idle; and the server itself holds
/// each of the functions' sessions to DB_STATEMENT_TIMEOUT_MS.
/// </summary>
[Trait("Category", Category.Reliability)]
public sealed class LeakedTransactionsTests(PostgresServer server)
{
    private const int PoolMax = 8;
    private const int Requests = 10_000;
    private static readonly string[] Functions = ["invoices", "stats"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_thousand_mixed_requests_with_a_tenth_abandoned_leave_no_transaction_open_and_the_pools_idle()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var invoicesByCaller = await SeedAsync(database, callers: 8, invoicesEach: 10);
        // The server's idle-in-transaction backstop is pushed out of reach, so only the code's own discipline can pass.
        var environment = Environment(database, statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 600_000);
        await using var invoices = await FunctionProcess.StartAsync("Invoices", environment, Token);
        await using var stats = await FunctionProcess.StartAsync("Stats", Environment(database, 15_000, 600_000), Token);
        var seed = System.Environment.GetEnvironmentVariable("LEAK_SEED") is { Length: > 0 } given ? int.Parse(given, CultureInfo.InvariantCulture) : Random.Shared.Next();
        var load = new LeakedTransactionsLoad(invoices.Client.BaseAddress!, stats.Client.BaseAddress!, invoicesByCaller, seed);

        var clock = Stopwatch.StartNew();
        await load.RunAsync(requests: Requests, workers: 12, budget: TimeSpan.FromMinutes(4), Token);
        var loadTime = clock.Elapsed;
        var settled = await WaitUntilIdleAsync(database, TimeSpan.FromSeconds(10));

        TestContext.Current.TestOutputHelper?.WriteLine($"leak load (LEAK_SEED={seed}): {load.Sent} requests in {loadTime.TotalSeconds:0.0} s; " +
            string.Join(", ", load.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} x{o.Value}")));
        Assert.True(settled.InTransaction == 0, $"sessions left in a transaction (LEAK_SEED={seed}): {settled}");
        Assert.True(settled.Busy == 0, $"sessions still busy 10 s after the load (LEAK_SEED={seed}): {settled}");
        Assert.True(load.Sent == Requests, $"only {load.Sent} of {Requests} requests were sent; server errors: {string.Join("\n", load.ServerErrors.Take(3))}");
        Assert.All(Functions, name => Assert.InRange(settled.IdleBy.GetValueOrDefault(name), 1, PoolMax));
        Assert.True(load.Outcomes.Where(o => o.Key.StartsWith("socket", StringComparison.Ordinal) || o.Key.StartsWith("cancelled", StringComparison.Ordinal)).Sum(o => o.Value) >= 800,
            "fewer than 8% of the requests were abandoned");
        Assert.True(load.ServerErrors.IsEmpty, $"server errors (LEAK_SEED={seed}):\n{string.Join("\n", load.ServerErrors.Take(3))}\n" +
            $"what the functions logged about them:\n{ErrorLines(invoices, stats)}");
        // The pools gave back every connection: a full pool's worth of requests at once still gets answers.
        await AssertPoolServesAsync(invoices, "/", invoicesByCaller.Keys.First());
        await AssertPoolServesAsync(stats, "/dashboard", invoicesByCaller.Keys.First());
    }

    // A failed request's log entry: its FAIL line and the exception lines after it.
    private static string ErrorLines(params FunctionProcess[] functions) => string.Join("\n", functions.SelectMany(function =>
        function.Output.SkipWhile(line => !line.Contains(" FAIL ", StringComparison.Ordinal)).Take(40)));

    [Fact]
    public async Task The_functions_sessions_carry_a_server_side_statement_timeout_that_ends_a_blocked_query()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var invoicesByCaller = await SeedAsync(database, callers: 1, invoicesEach: 1);
        var (caller, ids) = invoicesByCaller.Single();
        var environment = Environment(database, statementTimeoutMs: 1500, idleInTransactionTimeoutMs: 600_000);
        await using var function = await FunctionProcess.StartAsync("Invoices", environment, Token);
        using var warmUp = new HttpRequestMessage(HttpMethod.Get, $"/{ids[0]}");
        warmUp.Headers.Authorization = new("Bearer", TestAuthority.Token(caller));
        (await function.Client.SendAsync(warmUp, Token)).Dispose();

        // The session the product's own connection settings open: pg_settings shows the limit, set by the client at login.
        await using (var productSession = new NpgsqlConnection(DataSourceFactory.ConnectionString(
            DatabaseEndpointResolver.Resolve(name => environment.GetValueOrDefault(name)), DatabasePoolOptions.Read(name => environment.GetValueOrDefault(name), "invoices"))))
        {
            await productSession.OpenAsync(Token);
            await using var settings = new NpgsqlCommand(
                "SELECT setting || ' ' || source FROM pg_settings WHERE name = 'statement_timeout'", productSession);
            Assert.Equal("1500 client", (string?)await settings.ExecuteScalarAsync(Token));
        }

        // The function's own session: a query blocked by a lock is ended by the server at 1.5 s, long before Npgsql's
        // client-side CommandTimeout (statement timeout + 5 s) would give up.
        await using var admin = database.AdminDataSource();
        await using var lockHolder = await admin.OpenConnectionAsync(Token);
        await using var transaction = await lockHolder.BeginTransactionAsync(Token);
        await using (var takeLock = new NpgsqlCommand("LOCK TABLE invoices IN ACCESS EXCLUSIVE MODE", lockHolder, transaction))
        {
            await takeLock.ExecuteNonQueryAsync(Token);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{ids[0]}");
        request.Headers.Authorization = new("Bearer", TestAuthority.Token(caller));
        var clock = Stopwatch.StartNew();
        var answer = function.Client.SendAsync(request, Token);
        var waited = await WaitForLockWaiterAsync(database, TimeSpan.FromSeconds(5));
        var seenWaiting = clock.Elapsed;
        using var response = await answer;
        var elapsed = clock.Elapsed;
        await transaction.RollbackAsync(Token);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"blocked read seen waiting at {seenWaiting.TotalSeconds:0.00} s, answered {(int)response.StatusCode} at {elapsed.TotalSeconds:0.00} s");
        Assert.True(waited, "the function's query never waited on the lock");
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(6));
        // Ended by the server: well before the 6 s the client-side CommandTimeout would need from the same start.
        Assert.True(elapsed - seenWaiting < TimeSpan.FromSeconds(3.5), $"the blocked query ran {elapsed - seenWaiting} after it was seen waiting");
        var settled = await WaitUntilIdleAsync(database, TimeSpan.FromSeconds(5));
        Assert.Equal(0, settled.InTransaction);
        Assert.Equal(0, settled.Busy);
    }

    private static Dictionary<string, string?> Environment(TestDatabase database, int statementTimeoutMs, int idleInTransactionTimeoutMs)
    {
        var variables = TestAuthority.With(database.RuntimeSocketVariables());
        variables["DB_POOL_MAX"] = PoolMax.ToString(CultureInfo.InvariantCulture);
        variables["DB_STATEMENT_TIMEOUT_MS"] = statementTimeoutMs.ToString(CultureInfo.InvariantCulture);
        variables["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"] = idleInTransactionTimeoutMs.ToString(CultureInfo.InvariantCulture);
        // Long enough that a stalled machine does not turn a wait for a pooled connection into a 503; a leaking pool
        // still does, after it, and the load stops early on those.
        variables["DB_OPEN_TIMEOUT_SECONDS"] = "10";
        return variables;
    }

    private static async Task AssertPoolServesAsync(FunctionProcess function, string path, string caller)
    {
        using var client = new HttpClient { BaseAddress = function.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestAuthority.Token(caller));
        var answers = await Task.WhenAll(Enumerable.Range(0, PoolMax).Select(_ => client.GetAsync(new Uri(path, UriKind.Relative), Token)));
        Assert.All(answers, answer => Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    /// <summary>The functions' sessions as pg_stat_activity sees them, per state.</summary>
    private sealed record Activity(int InTransaction, int Busy, IReadOnlyDictionary<string, int> IdleBy, string Rows)
    {
        public override string ToString() => Rows;
    }

    // Polls until every session of the two functions is idle (or the limit passes); returns the last look.
    private static async Task<Activity> WaitUntilIdleAsync(TestDatabase database, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var activity = await ActivityAsync(database);
            if ((activity.InTransaction == 0 && activity.Busy == 0) || clock.Elapsed > limit)
            {
                return activity;
            }
            await Task.Delay(100, Token);
        }
    }

    private static async Task<Activity> ActivityAsync(TestDatabase database)
    {
        await using var admin = database.AdminDataSource();
        await using var command = admin.CreateCommand("""
            SELECT application_name, coalesce(state, ''), count(*)::int
            FROM pg_stat_activity
            WHERE datname = $1 AND application_name = ANY($2) AND pid <> pg_backend_pid()
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database.Name });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Functions });
        await using var reader = await command.ExecuteReaderAsync(Token);
        int inTransaction = 0, busy = 0;
        var idle = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<string>();
        while (await reader.ReadAsync(Token))
        {
            var (name, state, count) = (reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
            rows.Add($"{name} {state}: {count}");
            if (state.StartsWith("idle in transaction", StringComparison.Ordinal))
            {
                inTransaction += count;
            }
            else if (state == "idle")
            {
                idle[name] = count;
            }
            else
            {
                busy += count;
            }
        }
        return new Activity(inTransaction, busy, idle, string.Join("; ", rows));
    }

    private static async Task<bool> WaitForLockWaiterAsync(TestDatabase database, TimeSpan limit)
    {
        await using var admin = database.AdminDataSource();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            await using var command = admin.CreateCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'invoices' AND wait_event_type = 'Lock'");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database.Name });
            if ((long)(await command.ExecuteScalarAsync(Token))! > 0)
            {
                return true;
            }
            await Task.Delay(50, Token);
        }
        return false;
    }

    private static async Task<Dictionary<string, Guid[]>> SeedAsync(TestDatabase database, int callers, int invoicesEach)
    {
        await using var admin = database.AdminDataSource();
        var result = new Dictionary<string, Guid[]>(StringComparer.Ordinal);
        for (var c = 0; c < callers; c++)
        {
            var caller = $"load-{c}";
            await using var command = admin.CreateCommand("""
                INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, currency, category, status)
                SELECT gen_random_uuid(), $1, $1, $1, date '2024-01-01' + (n * 7), 'Load ' || n, 10 + n, 'COP', 'Cat ' || (n % 5), 'pending'
                FROM generate_series(1, $2) AS n
                RETURNING id
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = caller });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = invoicesEach });
            await using var reader = await command.ExecuteReaderAsync(Token);
            var ids = new List<Guid>();
            while (await reader.ReadAsync(Token))
            {
                ids.Add(reader.GetGuid(0));
            }
            result[caller] = [.. ids];
        }
        return result;
    }
}
