using System.Diagnostics;
using InvoiceApi.Data.Connection;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Hosting.Logging;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;

namespace InvoiceApi.Tests.Data.IamLogin;

/// <summary>
/// Cloud SQL IAM database login (DB_IAM_AUTH=true), shown against a local metadata-server stand-in and a private
/// PostgreSQL whose login password is set to the token the stand-in hands out. What only Google Cloud can show, that
/// Cloud SQL accepts a real token, is not tested here (docs/deploy.md says so).
/// </summary>
public sealed class IamLoginTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_token_is_fetched_with_the_metadata_header_and_scope_and_sent_as_the_password()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-fn@proj.iam");

        await using var connection = await lab.Connector.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT current_user, pg_has_role(current_user, 'invoice_api_runtime', 'MEMBER')", connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));

        Assert.Equal("invoice-api-fn@proj.iam", reader.GetString(0));
        Assert.True(reader.GetBoolean(1));
        var served = Assert.Single(lab.Metadata.Requests.Take(1));
        Assert.Equal("Google", served.Flavor);
        Assert.Equal(MetadataAccessTokens.Scope, served.Scopes);
    }

    [Fact]
    public async Task The_token_is_fetched_again_in_the_background_and_a_rotation_keeps_new_connections_working()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-rotate@proj.iam", refresh: TimeSpan.FromMilliseconds(500));
        lab.Metadata.ExpiresIn = 10;
        await using (var first = await lab.Connector.OpenAsync(Token))
        {
        }

        // The server's password and the metadata server's token change together, as when the metadata server renews it.
        var rotated = IamLab.NewToken();
        await lab.SetPasswordAsync(rotated);
        lab.Metadata.Token = rotated;
        await WaitUntilAsync(() => lab.Metadata.Requests.Any(request => request.Token == rotated), TimeSpan.FromSeconds(10));
        // Past the next refresh too, so the data source holds the new token whichever fetch it kept.
        var seen = lab.Metadata.Requests.Count;
        await WaitUntilAsync(() => lab.Metadata.Requests.Count >= seen + 2, TimeSpan.FromSeconds(10));
        lab.DataSource.Clear();

        await using var second = await lab.Connector.OpenAsync(Token);
        Assert.Equal("invoice-api-rotate@proj.iam", await ScalarAsync(second, "SELECT current_user"));
        // Fetched again and again, well before the 10 s the token was said to last: never waiting for it to expire.
        var gaps = lab.Metadata.Requests.Zip(lab.Metadata.Requests.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
        Assert.NotEmpty(gaps);
        Assert.All(gaps, gap => Assert.True(gap < 10, $"a refresh came {gap:0.0} s after the previous one"));
    }

    [Fact]
    public async Task No_metadata_server_is_an_error_saying_to_use_a_password_off_Google_Cloud()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-nometa@proj.iam");
        var closed = ClosedPort();
        await using var dataSource = DataSourceFactory.Create(lab.EndpointWith(metadataHost: $"127.0.0.1:{closed}"), lab.Options);
        var connector = new DatabaseConnector(dataSource, lab.EndpointWith(metadataHost: $"127.0.0.1:{closed}"), lab.Options);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => connector.OpenAsync(Token));

        Assert.Contains($"metadata server at 127.0.0.1:{closed}, which did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains("unset DB_IAM_AUTH, set DB_PASS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metadata_server_that_refuses_is_an_error_naming_the_service_account()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-refused@proj.iam");
        lab.Metadata.FailWith = 404;
        // A data source of its own, built after the refusal began: the lab's may already hold a token from before it.
        var endpoint = lab.EndpointWith(lab.Metadata.Host);
        await using var dataSource = DataSourceFactory.Create(endpoint, lab.Options);
        var connector = new DatabaseConnector(dataSource, endpoint, lab.Options);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => connector.OpenAsync(Token));

        Assert.Contains("refused an access token for Cloud SQL login (404", error.Message, StringComparison.Ordinal);
        Assert.Contains("--service-account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_database_refuses_is_an_error_with_the_gcloud_commands_that_fix_it_and_without_the_token()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-nouser@proj.iam");
        // The database no longer takes the token the metadata server hands out (as when the IAM user is missing).
        var served = lab.Metadata.Token;
        await lab.SetPasswordAsync(IamLab.NewToken());

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => lab.Connector.OpenAsync(Token));

        Assert.Contains("Cloud SQL refused the IAM login of 'invoice-api-nouser@proj.iam'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--database-flags=cloudsql.iam_authentication=on", error.Message, StringComparison.Ordinal);
        Assert.Contains("gcloud sql users create invoice-api-nouser@proj.iam.gserviceaccount.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("--type=cloud_iam_service_account", error.Message, StringComparison.Ordinal);
        Assert.Contains("--role=roles/cloudsql.instanceUser", error.Message, StringComparison.Ordinal);
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            Assert.DoesNotContain(served, inner.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_function_logging_in_with_iam_passes_the_readiness_wall_and_serves_and_no_log_line_holds_the_token()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-function@proj.iam");
        var token = lab.Metadata.Token;

        var serving = await RunInvoicesAsync(lab);
        // The database stops taking the token: readiness and requests say why, with the commands that fix it.
        await lab.SetPasswordAsync(IamLab.NewToken());
        var refused = await RunInvoicesAsync(lab);

        Assert.Equal((200, 200), (serving.Ready, serving.List));
        Assert.Equal((503, 503), (refused.Ready, refused.List));
        using var problem = System.Text.Json.JsonDocument.Parse(refused.ReadyBody);
        Assert.Contains("refused the IAM login of 'invoice-api-function@proj.iam'", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(refused.Lines, line => line.Contains("refused the IAM login", StringComparison.Ordinal));
        Assert.All(serving.Lines.Concat(refused.Lines).Append(refused.ReadyBody), line => Assert.DoesNotContain(token, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_migrator_logs_in_the_same_way()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-migrator@proj.iam", memberOf: server.Admin.User);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await InvoiceApi.Tools.Migrations.MigratorCommand.RunAsync(["migrate"], lab.Variables().GetValueOrDefault, output, error, Token);

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("up to date", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(lab.Metadata.Requests, request => request.Flavor == "Google");
    }

    [Fact]
    public async Task A_migrator_login_without_the_owners_rights_is_told_the_grant_that_gives_them()
    {
        await using var lab = await IamLab.StartAsync(server, "invoice-api-migrator2@proj.iam");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await InvoiceApi.Tools.Migrations.MigratorCommand.RunAsync(["status"], lab.Variables().GetValueOrDefault, output, error, Token);

        Assert.Equal(4, exitCode);
        Assert.Contains("GRANT postgres TO \"invoice-api-migrator2@proj.iam\";", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(lab.Metadata.Token, error.ToString(), StringComparison.Ordinal);
    }

    // Invoices in-process with the IAM variables, every log line captured at Trace: /readyz, then an authenticated list.
    private static async Task<(int Ready, string ReadyBody, int List, IReadOnlyList<string> Lines)> RunInvoicesAsync(IamLab lab)
    {
        var variables = TestAuthority.With(lab.Variables());
        variables["PORT"] = "0";
        variables["Logging:Captured:LogLevel:Default"] = "Trace";
        var app = FunctionHost.Build(typeof(global::Invoices.Function).Assembly, [], variables);
        var log = new CapturedLog(app.Services.GetServices<ConsoleFormatter>().Single(formatter => formatter.Name == ReadableLineFormatter.FormatterName));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.StartAsync(Token);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)) };
            using var ready = await Readyz.GetAsync(client, Token);
            var readyBody = await ready.Content.ReadAsStringAsync(Token);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Authorization = new("Bearer", TestAuthority.Token("iam-caller")) } };
            using var list = await client.SendAsync(request, Token);
            return ((int)ready.StatusCode, readyBody, (int)list.StatusCode, log.Lines);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("INSTANCE_HOST", "db.internal", null, "Require")]
    [InlineData("DATABASE_URL", "postgresql://svc%40proj.iam@db.internal:5432/invoices?sslmode=verify-full", null, "VerifyFull")]
    [InlineData("INSTANCE_CONNECTION_NAME", "proj:region:inst", null, "")]
    public void Iam_login_over_tcp_requires_tls_and_carries_no_password(string variable, string value, string? _, string sslMode)
    {
        var endpoint = DatabaseEndpointResolver.Resolve(Variables(new() { [variable] = value, ["DB_IAM_AUTH"] = "true" }));

        Assert.True(endpoint.IamLogin);
        Assert.Null(endpoint.Password);
        Assert.Equal(sslMode, endpoint.SslMode?.ToString() ?? "");
        Assert.Contains("as IAM user 'svc@proj.iam'", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DB_PASS", "hunter2-pw", "a password is set too (DB_PASS)")]
    [InlineData("DB_IAM_AUTH", "yes", "DB_IAM_AUTH must be true or false, got 'yes'")]
    [InlineData("GCE_METADATA_HOST", "http://169.254.169.254/", "GCE_METADATA_HOST must be a host name or host:port")]
    public void Iam_login_settings_that_cannot_work_refuse_to_start_saying_why(string variable, string value, string expected)
    {
        var variables = new Dictionary<string, string?> { ["INSTANCE_CONNECTION_NAME"] = "proj:region:inst", ["DB_IAM_AUTH"] = "true", [variable] = value };

        var error = Assert.ThrowsAny<Exception>(() =>
        {
            var endpoint = DatabaseEndpointResolver.Resolve(Variables(variables));
            using var dataSource = DataSourceFactory.Create(endpoint, DatabasePoolOptions.Read(_ => null, "iam-settings-test"));
        });

        Assert.IsType<DatabaseConfigurationException>(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Iam_login_over_tcp_with_tls_turned_off_is_refused()
    {
        var error = Assert.Throws<DatabaseConfigurationException>(() => DatabaseEndpointResolver.Resolve(Variables(new()
        {
            ["DATABASE_URL"] = "postgresql://svc%40proj.iam@db.internal:5432/invoices?sslmode=disable", ["DB_IAM_AUTH"] = "true",
        })));

        Assert.Contains("needs TLS", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(Dictionary<string, string?> values)
    {
        values.TryAdd("DB_USER", "svc@proj.iam");
        values.TryAdd("DB_NAME", "invoices");
        return name => values.GetValueOrDefault(name);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Token);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"not within {limit.TotalSeconds:0} s");
            await Task.Delay(50, Token);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
