using System.Net;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// /readyz is 200 only when the database answers, the login is one row-level security holds (the runtime role) and the
/// schema verifies; otherwise a 503 naming what is wrong.
/// </summary>
public sealed class ReadinessTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_when_the_database_answers_as_the_runtime_role_and_the_schema_verifies()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, database.RuntimeSocketVariables());

        using var response = await Readyz.GetAsync(function.Client, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_over_tcp_as_the_runtime_role()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Invoices.Startup).Assembly, database.RuntimeTcpVariables());

        using var response = await Readyz.GetAsync(function.Client, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Not_ready_as_a_superuser_naming_the_role_and_what_to_do()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Invoices.Startup).Assembly, database.SocketVariables());

        var (status, detail, errors) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"The database login '{server.Admin.User}' is a superuser, so row-level security would not keep", detail, StringComparison.Ordinal);
        Assert.Contains("runtime login user (DB_USER: a LOGIN role IN ROLE invoice_api_runtime", detail, StringComparison.Ordinal);
        Assert.Contains("0002_row_level_security.sql", detail, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Fact]
    public async Task Not_ready_as_the_owner_of_invoices()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var owner = await TemporaryLogin.CreateAsync(database, "", Token);
        await ExecuteAsync(database, $"ALTER TABLE invoices OWNER TO {owner.Name}");
        await using var function = await InProcessFunction.StartAsync(typeof(Invoices.Startup).Assembly, owner.SocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"The database login '{owner.Name}' owns the invoices table and is not a member of invoice_api_runtime", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_as_a_member_of_the_owner_even_inside_the_runtime_role()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var owner = await TemporaryLogin.CreateAsync(database, "", Token);
        await using var member = await TemporaryLogin.CreateAsync(database, $"IN ROLE {owner.Name}, invoice_api_runtime", Token);
        await ExecuteAsync(database, $"ALTER TABLE invoices OWNER TO {owner.Name}");
        await using var function = await InProcessFunction.StartAsync(typeof(Invoices.Startup).Assembly, member.SocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"'{member.Name}' is a member of '{owner.Name}', the owner of the invoices table, so", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_as_a_runtime_member_with_bypassrls()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var bypassing = await TemporaryLogin.CreateAsync(database, "BYPASSRLS IN ROLE invoice_api_runtime", Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, bypassing.SocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"'{bypassing.Name}' has BYPASSRLS, so", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_as_a_runtime_member_that_can_create_roles()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var creator = await TemporaryLogin.CreateAsync(database, "CREATEROLE IN ROLE invoice_api_runtime", Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, creator.SocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"'{creator.Name}' has CREATEROLE (it could grant itself the owner's role), so", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_as_a_runtime_member_that_can_set_role_to_a_bypassing_role()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var bypassing = await TemporaryLogin.CreateAsync(database, "BYPASSRLS", Token);
        await using var member = await TemporaryLogin.CreateAsync(database, $"IN ROLE {bypassing.Name}, invoice_api_runtime", Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, member.SocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"'{member.Name}' is a member of '{bypassing.Name}', which can skip row-level security or create roles, so", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_when_row_level_security_is_switched_off()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, "ALTER TABLE invoices DISABLE ROW LEVEL SECURITY");
        await using var function = await InProcessFunction.StartAsync(typeof(Invoices.Startup).Assembly, database.RuntimeSocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("schema: row-level security on invoices is not enabled.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_as_a_login_outside_the_runtime_role()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var stranger = await TemporaryLogin.CreateAsync(database, "", Token);
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, stranger.SocketVariables());

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"'{stranger.Name}' is not a member of invoice_api_runtime, so", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_names_a_missing_column()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await ExecuteAsync(database, "ALTER TABLE invoices DROP COLUMN due_date");
        await using var function = await InProcessFunction.StartAsync(typeof(Invoices.Startup).Assembly, database.RuntimeSocketVariables());

        var (status, detail, errors) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("column invoices.due_date is missing", detail, StringComparison.Ordinal);
        Assert.Contains(errors, message => message.Contains("invoices.due_date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Not_ready_names_an_unreachable_socket_path_and_the_deploy_flag()
    {
        var variables = new Dictionary<string, string?>
        {
            ["INSTANCE_CONNECTION_NAME"] = "acme:europe-west1:books",
            ["INSTANCE_UNIX_SOCKET"] = "/tmp/missing-cloudsql-" + Guid.NewGuid().ToString("N")[..8],
            ["DB_USER"] = "app", ["DB_PASS"] = "s3cret-value", ["DB_NAME"] = "invoices",
        };
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, variables);

        var (status, detail, _) = await ReadyzAsync(function);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"{variables["INSTANCE_UNIX_SOCKET"]}/acme:europe-west1:books", detail, StringComparison.Ordinal);
        Assert.Contains("--add-cloudsql-instances", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_within_the_time_limit_when_the_database_host_never_answers()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var variables = new Dictionary<string, string?>
        {
            ["INSTANCE_HOST"] = "127.0.0.1", ["DB_PORT"] = ((IPEndPoint)silent.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_USER"] = "app", ["DB_NAME"] = "invoices",
            // Without the probe's own deadline, the connection attempt alone would take 30 s.
            ["DB_OPEN_TIMEOUT_SECONDS"] = "30",
        };
        await using var function = await InProcessFunction.StartAsync(typeof(Stats.Startup).Assembly, variables);
        using (await function.AnonymousClient.GetAsync("/healthz", TestContext.Current.CancellationToken))
        {
            // Warm: the first request's own start-up cost is not the probe's.
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (status, detail, _) = await ReadyzAsync(function, retryDeadline: false);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("No answer within 2 s from database 'invoices' as user 'app' over TCP 127.0.0.1:", detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var admin = database.AdminDataSource();
        await using var command = admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    // Asked again when a cold check ran past the probe's 2 s (Readyz), unless that deadline is what the test is about.
    private static async Task<(HttpStatusCode Status, string Detail, List<string> Errors)> ReadyzAsync(InProcessFunction function, bool retryDeadline = true)
    {
        using var response = retryDeadline ? await Readyz.GetAsync(function.Client, Token) : await function.Client.GetAsync("/readyz", Token);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var errors = problem.RootElement.GetProperty("errors").GetProperty("database").EnumerateArray().Select(e => e.GetString()!).ToList();
        return (response.StatusCode, problem.RootElement.GetProperty("detail").GetString()!, errors);
    }
}
