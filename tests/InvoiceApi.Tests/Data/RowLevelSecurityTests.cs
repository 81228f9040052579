using InvoiceApi.Data;
using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Data;

/// <summary>
/// The second wall, exercised as the runtime role the functions log in as: PostgreSQL itself keeps each caller's
/// invoices from every other caller, even for SQL that forgets its <c>WHERE account_id = ...</c>.
/// </summary>
public sealed class RowLevelSecurityTests(PostgresServer server)
{
    private const string CallerA = "caller-a";
    private const string CallerB = "caller-b";
    private static readonly Guid InvoiceA1 = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid InvoiceA2 = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Guid InvoiceB1 = Guid.Parse("00000000-0000-0000-0000-0000000000b1");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // A write as an editor of the account, the least role that may write.
    private static WriteScope Editor(string account) => new(account, "editor", "create");

    [Fact]
    public async Task A_query_that_forgets_the_caller_filter_sees_only_the_scoped_callers_rows()
    {
        await using var harness = await Harness.CreateAsync(server);

        var read = await harness.Query.RunAsync(DataScope.Of(CallerA), (connection, token) => UserIdsAsync(connection, null, token, DataScope.Of(CallerA)), Token);
        var written = await harness.Transaction.RunAsync(Editor(CallerB), (connection, transaction, token) => UserIdsAsync(connection, transaction, token), Token);

        Assert.Equal([CallerA, CallerA], read);
        Assert.Equal([CallerB], written);
    }

    [Fact]
    public async Task Without_a_scope_the_runtime_role_sees_no_invoice_at_all()
    {
        await using var harness = await Harness.CreateAsync(server);
        await using var runtime = harness.Database.RuntimeDataSource();

        var throughHelper = await harness.Query.RunAsync((connection, token) => UserIdsAsync(connection, null, token), Token);
        await using var bare = await runtime.OpenConnectionAsync(Token);
        var onABareSession = await UserIdsAsync(bare, null, Token);

        Assert.Empty(throughHelper);
        Assert.Empty(onABareSession);
        Assert.Equal(3, await harness.AdminCountAsync("TRUE"));
    }

    [Fact]
    public async Task Inserting_a_row_for_another_caller_is_refused_and_changes_nothing()
    {
        await using var harness = await Harness.CreateAsync(server);

        var error = await Assert.ThrowsAsync<PostgresException>(() => harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, $"INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), '{CallerB}', '{CallerB}', '{CallerB}', current_date, 'Sneaky', 1, 'x')", token), Token));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("row-level security", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await harness.AdminCountAsync($"account_id = '{CallerB}'"));
    }

    [Fact]
    public async Task Updating_another_callers_row_touches_nothing()
    {
        await using var harness = await Harness.CreateAsync(server);

        var updated = await harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, $"UPDATE invoices SET provider = 'Hijacked' WHERE id = '{InvoiceB1}'", token), Token);
        var everything = await harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, "UPDATE invoices SET description = 'touched'", token), Token);

        Assert.Equal(0, updated);
        Assert.Equal(2, everything);
        Assert.Equal(0, await harness.AdminCountAsync("provider = 'Hijacked' OR (account_id <> 'caller-a' AND description IS NOT NULL)"));
    }

    [Fact]
    public async Task Handing_ones_own_row_to_another_caller_is_refused()
    {
        await using var harness = await Harness.CreateAsync(server);

        var error = await Assert.ThrowsAsync<PostgresException>(() => harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, $"UPDATE invoices SET account_id = '{CallerB}' WHERE id = '{InvoiceA1}'", token), Token));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal(2, await harness.AdminCountAsync($"account_id = '{CallerA}'"));
    }

    [Theory]
    [InlineData("DELETE FROM invoices WHERE id = '00000000-0000-0000-0000-0000000000a1'")]
    [InlineData("DELETE FROM invoices")]
    [InlineData("TRUNCATE invoices")]
    public async Task Delete_and_truncate_are_not_granted_even_on_ones_own_rows(string sql)
    {
        await using var harness = await Harness.CreateAsync(server);

        var error = await Assert.ThrowsAsync<PostgresException>(() => harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, sql, token), Token));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("permission denied for table invoices", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(3, await harness.AdminCountAsync("TRUE"));
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Fact]
    public async Task An_admin_read_all_scope_reads_every_callers_rows_in_a_read_only_query()
    {
        await using var harness = await Harness.CreateAsync(server);

        var all = await harness.Query.RunAsync(new DataScope("admin-1", ReadAllAccounts: true), (connection, token) => UserIdsAsync(connection, null, token, new DataScope("admin-1", ReadAllAccounts: true)), Token);
        var ownOnly = await harness.Query.RunAsync(DataScope.Of("admin-1"), (connection, token) => UserIdsAsync(connection, null, token, DataScope.Of("admin-1")), Token);

        Assert.Equal([CallerA, CallerA, CallerB], all);
        Assert.Empty(ownOnly);
    }

    [Fact]
    public async Task A_caller_transaction_never_reads_or_writes_across_callers()
    {
        await using var harness = await Harness.CreateAsync(server);

        var (seen, updated) = await harness.Transaction.RunAsync(Editor("admin-1"), async (connection, transaction, token) =>
            (await UserIdsAsync(connection, transaction, token), await ExecuteAsync(connection, transaction, "UPDATE invoices SET provider = 'Admin was here'", token)), Token);

        Assert.Empty(seen);
        Assert.Equal(0, updated);
        Assert.Equal(0, await harness.AdminCountAsync("provider = 'Admin was here'"));
    }

    [Fact]
    public async Task The_read_all_policy_lets_no_write_through_even_when_switched_on_in_a_writable_transaction()
    {
        await using var harness = await Harness.CreateAsync(server);
        await using var runtime = harness.Database.RuntimeDataSource();
        await using var connection = await runtime.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await ExecuteAsync(connection, transaction, "SELECT set_config('app.account_id', 'admin-1', true), set_config('app.read_all_accounts', 'on', true)", Token);

        var seen = await UserIdsAsync(connection, transaction, Token);
        var updated = await ExecuteAsync(connection, transaction, $"UPDATE invoices SET provider = 'Admin was here' WHERE id = '{InvoiceB1}'", Token);
        await transaction.CommitAsync(Token);

        Assert.Equal(3, seen.Count);
        Assert.Equal(0, updated);
        Assert.Equal(0, await harness.AdminCountAsync("provider = 'Admin was here'"));
    }

    [Fact]
    public async Task The_scope_is_transaction_local_so_the_next_user_of_a_pooled_connection_sees_no_caller()
    {
        // The pool's own reset is off here, so only set_config(..., true) can clear the caller between transactions.
        await using var harness = await Harness.CreateAsync(server, resetOnClose: false);

        var first = await harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) => BackendAndCallerAsync(connection, transaction, token), Token);
        var afterAdminRead = await harness.Query.RunAsync(new DataScope("admin-1", ReadAllAccounts: true), (connection, token) => BackendAndCallerAsync(connection, null, token, new DataScope("admin-1", ReadAllAccounts: true)), Token);
        var next = await harness.Query.RunAsync((connection, token) => BackendAndCallerAsync(connection, null, token), Token);
        var rows = await harness.Query.RunAsync((connection, token) => UserIdsAsync(connection, null, token), Token);

        Assert.Equal((CallerA, "off", "editor"), (first.AccountId, first.ReadAll, first.Role));
        Assert.Equal(("admin-1", "on", ""), (afterAdminRead.AccountId, afterAdminRead.ReadAll, afterAdminRead.Role));
        Assert.Equal(first.Backend, next.Backend);
        Assert.Equal(afterAdminRead.Backend, next.Backend);
        Assert.Equal(("", "", ""), (next.AccountId, next.ReadAll, next.Role));
        Assert.Empty(rows);
    }

    [Fact]
    public async Task An_exception_inside_a_caller_transaction_rolls_back_and_leaves_no_session_in_a_transaction()
    {
        await using var harness = await Harness.CreateAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Transaction.RunAsync<int>(Editor(CallerA), async (connection, transaction, token) =>
        {
            await ExecuteAsync(connection, transaction, $"UPDATE invoices SET provider = 'Half done' WHERE id = '{InvoiceA2}'", token);
            throw new InvalidOperationException("the handler failed after a write");
        }, Token));

        Assert.Equal(0, await harness.AdminCountAsync("provider = 'Half done'"));
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Fact]
    public async Task An_exception_inside_a_scoped_read_leaves_no_session_in_a_transaction()
    {
        await using var harness = await Harness.CreateAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Query.RunAsync<int>(DataScope.Of(CallerA), async (connection, token) =>
        {
            await UserIdsAsync(connection, null, token, DataScope.Of(CallerA));
            throw new InvalidOperationException("the handler failed after a read");
        }, Token));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, $"INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), '{CallerB}', '{CallerB}', '{CallerB}', current_date, 'Sneaky', 1, 'x')", token), Token));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(["idle"], await harness.SessionStatesAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_caller_is_refused_before_a_connection_is_taken(string userId)
    {
        await using var harness = await Harness.CreateAsync(server);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Transaction.RunAsync(Editor(userId), (connection, transaction, token) => Task.FromResult(0), Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Query.RunAsync(DataScope.Of(userId), (connection, token) => Task.FromResult(0), Token));

        Assert.Empty(await harness.SessionStatesAsync());
    }

    private static async Task<List<string>> UserIdsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken,
        DataScope? readScope = null)
    {
        // Deliberately no WHERE account_id: the query a careless handler would write.
        const string Sql = "SELECT account_id FROM invoices ORDER BY account_id, id";
        await using var command = readScope is null ? new NpgsqlCommand(Sql, connection, transaction) : ScopedReads.Command(connection, readScope, Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var userIds = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            userIds.Add(reader.GetString(0));
        }
        return userIds;
    }

    private static async Task<(int Backend, string AccountId, string ReadAll, string Role)> BackendAndCallerAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken, DataScope? readScope = null)
    {
        const string Sql = """
            SELECT pg_backend_pid(), coalesce(current_setting('app.account_id', true), ''), coalesce(current_setting('app.read_all_accounts', true), ''),
                   coalesce(current_setting('app.account_role', true), '')
            """;
        await using var command = readScope is null ? new NpgsqlCommand(Sql, connection, transaction) : ScopedReads.Command(connection, readScope, Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
    }

    [Fact]
    public async Task A_viewers_transaction_can_insert_and_update_no_invoice_whatever_the_function_checked()
    {
        await using var harness = await Harness.CreateAsync(server);
        var viewer = new WriteScope(CallerA, "viewer", "create");

        var insert = await Assert.ThrowsAsync<PostgresException>(() => harness.Transaction.RunAsync(viewer, (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, $"INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), '{CallerA}', 'v', 'v', current_date, 'Sneaky', 1, 'x')", token), Token));
        var updated = await harness.Transaction.RunAsync(viewer, (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, "UPDATE invoices SET provider = 'Viewer was here'", token), Token);
        var read = await harness.Transaction.RunAsync(viewer, (connection, transaction, token) => UserIdsAsync(connection, transaction, token), Token);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState);
        Assert.Contains("invoices_writers_insert", insert.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, updated);
        Assert.Equal([CallerA, CallerA], read);
        Assert.Equal(0, await harness.AdminCountAsync("provider IN ('Sneaky', 'Viewer was here')"));
    }

    [Theory]
    [InlineData("UPDATE invoice_history SET member_id = 'someone-else'")]
    [InlineData("DELETE FROM invoice_history")]
    [InlineData("INSERT INTO invoice_history (account_id, invoice_id, at, operation, member_id, version, changes) VALUES ('caller-a', gen_random_uuid(), now(), 'create', 'forger', 1, '[]')")]
    [InlineData("TRUNCATE invoice_history")]
    public async Task The_runtime_role_cannot_write_rewrite_or_erase_the_history(string sql)
    {
        await using var harness = await Harness.CreateAsync(server);
        await harness.Transaction.RunAsync(new WriteScope(CallerA, "editor", "patch"), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, $"UPDATE invoices SET amount = 1, version = version + 1, updated_by = 'luis' WHERE id = '{InvoiceA1}'", token), Token);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => harness.Transaction.RunAsync(Editor(CallerA), (connection, transaction, token) =>
            ExecuteAsync(connection, transaction, sql, token), Token));
        var entries = await harness.Query.RunAsync(DataScope.Of(CallerA), async (connection, token) =>
        {
            await using var command = ScopedReads.Command(connection, DataScope.Of(CallerA), "SELECT operation || ' ' || member_id || ' ' || version FROM invoice_history ORDER BY entry DESC LIMIT 1");
            return (string?)await command.ExecuteScalarAsync(token);
        }, Token);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("permission denied for table invoice_history", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal("patch luis 2", entries);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A migrated database holding two invoices of caller A and one of caller B (written by the superuser, which
    /// row-level security does not hold), and the data layer's helpers on a one-connection pool of the runtime role.
    /// </summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly NpgsqlDataSource _admin;
        private readonly string _applicationName;

        private Harness(TestDatabase database, NpgsqlDataSource dataSource, DatabaseConnector connector, string applicationName)
        {
            Database = database;
            _dataSource = dataSource;
            _admin = database.AdminDataSource();
            _applicationName = applicationName;
            Query = new ReadOnlyQuery(connector);
            Transaction = new CallerTransaction(connector);
        }

        public TestDatabase Database { get; }

        public ReadOnlyQuery Query { get; }

        public CallerTransaction Transaction { get; }

        public static async Task<Harness> CreateAsync(PostgresServer server, bool resetOnClose = true)
        {
            var database = await server.CreateDatabaseAsync(migrated: true, Token);
            await using (var admin = database.AdminDataSource())
            {
                await using var seed = admin.CreateCommand($"""
                    INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES
                        ('{InvoiceA1}', '{CallerA}', '{CallerA}', '{CallerA}', '2026-01-10', 'Acme', 100.00, 'office'),
                        ('{InvoiceA2}', '{CallerA}', '{CallerA}', '{CallerA}', '2026-02-10', 'Globex', 250.50, 'travel'),
                        ('{InvoiceB1}', '{CallerB}', '{CallerB}', '{CallerB}', '2026-03-10', 'Initech', 75.25, 'office')
                    """);
                await seed.ExecuteNonQueryAsync(Token);
            }
            var applicationName = "rls-" + Guid.NewGuid().ToString("N")[..12];
            var endpoint = database.RuntimeEndpoint();
            var options = DatabasePoolOptions.Read(_ => null, applicationName) with { MaxPoolSize = 1 };
            var connectionString = new NpgsqlConnectionStringBuilder(DataSourceFactory.ConnectionString(endpoint, options)) { NoResetOnClose = !resetOnClose };
            var dataSource = new NpgsqlSlimDataSourceBuilder(connectionString.ConnectionString).Build();
            return new Harness(database, dataSource, new DatabaseConnector(dataSource, endpoint, options), applicationName);
        }

        /// <summary>Counts the invoices matching <paramref name="condition"/>, seen by the superuser (every caller's).</summary>
        public async Task<long> AdminCountAsync(string condition)
        {
            await using var command = _admin.CreateCommand($"SELECT count(*) FROM invoices WHERE {condition}");
            return (long)(await command.ExecuteScalarAsync(Token))!;
        }

        /// <summary>The server-side state of every session the helpers' pool holds.</summary>
        public async Task<List<string>> SessionStatesAsync()
        {
            await using var command = _admin.CreateCommand("SELECT coalesce(state, 'unknown') FROM pg_stat_activity WHERE application_name = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = _applicationName });
            await using var reader = await command.ExecuteReaderAsync(Token);
            var states = new List<string>();
            while (await reader.ReadAsync(Token))
            {
                states.Add(reader.GetString(0));
            }
            return states;
        }

        public async ValueTask DisposeAsync()
        {
            await _dataSource.DisposeAsync();
            await _admin.DisposeAsync();
        }
    }
}
