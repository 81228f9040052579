using InvoiceApi.Data;
using InvoiceApi.Data.Connection;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Data;

/// <summary>
/// The read-only helper never leaves a pooled connection "idle in transaction" (the incident that drained the pool),
/// whatever happens inside it; checked from the server's side in pg_stat_activity.
/// </summary>
public sealed class ReadOnlyQueryTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Success_commits_and_returns_the_connection_idle()
    {
        await using var harness = await Harness.CreateAsync(server);

        var count = await harness.Query.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM invoices", connection);
            return (long)(await command.ExecuteScalarAsync(token))!;
        }, Token);

        Assert.Equal(0, count);
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Fact]
    public async Task The_transaction_is_read_only()
    {
        await using var harness = await Harness.CreateAsync(server);

        var readOnly = await harness.Query.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT current_setting('transaction_read_only')", connection);
            return (string)(await command.ExecuteScalarAsync(token))!;
        }, Token);

        Assert.Equal("on", readOnly);
    }

    [Fact]
    public async Task A_write_inside_fails_and_changes_nothing()
    {
        await using var harness = await Harness.CreateAsync(server);

        var error = await Assert.ThrowsAsync<PostgresException>(() => harness.Query.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), 'u', 'u', 'u', current_date, 'p', 1, 'c')",
                connection);
            return await command.ExecuteNonQueryAsync(token);
        }, Token));

        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, error.SqlState);
        Assert.Equal(0, await harness.CountInvoicesAsync());
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Fact]
    public async Task An_exception_rolls_back_and_returns_the_connection_idle()
    {
        await using var harness = await Harness.CreateAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Query.RunAsync<int>(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(token);
            throw new InvalidOperationException("the caller's code failed after a query");
        }, Token));

        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Fact]
    public async Task A_cancellation_mid_query_stops_it_and_returns_the_connection_idle()
    {
        await using var harness = await Harness.CreateAsync(server);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Query.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT pg_sleep(30)", connection);
            return await command.ExecuteScalarAsync(token);
        }, cancellation.Token));

        // The pool may keep the connection or, when the cancel broke it, close it; either way nothing is left in a transaction.
        var states = await harness.SessionStatesAsync();
        Assert.All(states, state => Assert.Equal("idle", state));
    }

    [Fact]
    public async Task A_cancellation_before_the_query_leaves_no_session_in_a_transaction()
    {
        await using var harness = await Harness.CreateAsync(server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Query.RunAsync(
            (connection, token) => Task.FromResult(1), cancelled.Token));

        Assert.DoesNotContain(await harness.SessionStatesAsync(), state => state != "idle");
    }

    /// <summary>A read-only helper over a migrated database, tagged with an application name to find its sessions.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly NpgsqlDataSource _admin;
        private readonly string _applicationName;

        private Harness(NpgsqlDataSource dataSource, NpgsqlDataSource admin, ReadOnlyQuery query, string applicationName)
        {
            _dataSource = dataSource;
            _admin = admin;
            Query = query;
            _applicationName = applicationName;
        }

        public ReadOnlyQuery Query { get; }

        public static async Task<Harness> CreateAsync(PostgresServer server)
        {
            var database = await server.CreateDatabaseAsync(migrated: true, Token);
            var applicationName = "ro-" + Guid.NewGuid().ToString("N")[..12];
            // As the functions log in: the runtime role, which row-level security holds.
            var endpoint = database.RuntimeEndpoint();
            var options = DatabasePoolOptions.Read(_ => null, applicationName);
            var dataSource = DataSourceFactory.Create(endpoint, options);
            return new Harness(dataSource, database.AdminDataSource(), new ReadOnlyQuery(new DatabaseConnector(dataSource, endpoint, options)), applicationName);
        }

        /// <summary>The server-side state of every session the helper's pool holds.</summary>
        public async Task<List<string>> SessionStatesAsync()
        {
            await using var command = _admin.CreateCommand("SELECT state FROM pg_stat_activity WHERE application_name = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = _applicationName });
            await using var reader = await command.ExecuteReaderAsync(Token);
            var states = new List<string>();
            while (await reader.ReadAsync(Token))
            {
                states.Add(reader.IsDBNull(0) ? "unknown" : reader.GetString(0));
            }
            return states;
        }

        public async Task<long> CountInvoicesAsync()
        {
            await using var command = _admin.CreateCommand("SELECT count(*) FROM invoices");
            return (long)(await command.ExecuteScalarAsync(Token))!;
        }

        public async ValueTask DisposeAsync()
        {
            await _dataSource.DisposeAsync();
            await _admin.DisposeAsync();
        }
    }
}
