using InvoiceApi.Data;
using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Scoping;
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

    [Fact]
    public async Task A_scoped_read_is_read_only_and_scoped_in_its_own_transaction_which_ends_with_the_command()
    {
        await using var harness = await Harness.CreateAsync(server);
        const string Settings = """
            SELECT pg_backend_pid(), current_setting('transaction_read_only'), coalesce(current_setting('app.account_id', true), ''),
                   coalesce(current_setting('app.read_all_accounts', true), ''), txid_current_if_assigned() IS NULL
            """;

        var (inside, after, write) = await harness.Query.RunAsync(new DataScope("account-1", ReadAllAccounts: true), async (connection, token) =>
        {
            await using var scoped = ScopedReads.Command(connection, new DataScope("account-1", ReadAllAccounts: true), Settings);
            var inside = await ReadSettingsAsync(scoped, token);
            await using var plain = new NpgsqlCommand(Settings, connection);
            var after = await ReadSettingsAsync(plain, token);
            await using var write = ScopedReads.Command(connection, DataScope.Of("account-1"), "CREATE TEMP TABLE scratch (x int)");
            return (inside, after, await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync(token)));
        }, Token);

        Assert.Equal(("on", "account-1", "on"), (inside.ReadOnly, inside.AccountId, inside.ReadAll));
        Assert.Equal(inside.Backend, after.Backend);
        Assert.Equal(("off", "", ""), (after.ReadOnly, after.AccountId, after.ReadAll));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, write.SqlState);
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Fact]
    public async Task A_scoped_read_on_a_pooled_connection_the_server_ended_runs_again_on_a_fresh_one()
    {
        await using var harness = await Harness.CreateAsync(server);
        var first = await harness.Query.RunAsync(DataScope.Of("account-1"), BackendAsync, Token);
        await harness.TerminateSessionsAsync();

        var attempts = 0;
        var second = await harness.Query.RunAsync(DataScope.Of("account-1"), (connection, token) =>
        {
            attempts++;
            return BackendAsync(connection, token);
        }, Token);

        Assert.NotEqual(first, second);
        Assert.Equal(2, attempts);
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    private static async Task<int> BackendAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = ScopedReads.Command(connection, DataScope.Of("account-1"), "SELECT pg_backend_pid()");
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(int Backend, string ReadOnly, string AccountId, string ReadAll)> ReadSettingsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
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

        /// <summary>Ends every session of the helper's pool from the server's side, as a restart or failover does.</summary>
        public async Task TerminateSessionsAsync()
        {
            await using var command = _admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = _applicationName });
            Assert.Equal(1L, await command.ExecuteScalarAsync(Token));
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
