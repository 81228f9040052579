using System.Net.Http.Headers;
using System.Text;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Hosting.Logging;
using InvoiceApi.Tests.Hosting.TestFunctions;
using InvoiceApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// Everything a function process writes, at every log level, in both log formats, on success and error paths, holds
/// neither the database password, nor a bearer token (or its signature), nor an Authorization header.
/// </summary>
public sealed class SecretsInLogsTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_password_token_or_authorization_header_reaches_any_log_line()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var (role, password, wrongPassword) = await CreateLoginAsync(database);
        var token = TestAuthority.Token("caller-secret-test");
        var foreignToken = ForeignToken();
        var tokens = new[] { token, foreignToken, Tampered(token) };

        var output = new List<string>();
        // Cloud Run's JSON lines with the right password: the success paths.
        output.AddRange(await RunAsync(database, role, password, tokens, onCloudRun: true));
        // Readable lines with a refused login: every request that touches the database fails and logs why.
        var failing = await RunAsync(database, role, wrongPassword, tokens, onCloudRun: false);
        output.AddRange(failing);

        Assert.Contains(failing, line => line.Contains("Not ready", StringComparison.Ordinal));
        // The bad tokens were looked at and refused in the log, just without the tokens.
        Assert.Contains(output, line => line.Contains("not authenticated", StringComparison.Ordinal));
        AssertNoSecret(output, [password, wrongPassword, BasicCredentials(role, password), BasicCredentials(role, wrongPassword)], tokens);
        await DropRoleAsync(database, role);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Failures_inside_a_request_log_no_password_token_or_authorization_header(bool onCloudRun)
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var (role, password, wrongPassword) = await CreateLoginAsync(database);
        var token = TestAuthority.Token("caller-secret-test");
        var variables = TestAuthority.With(database.SocketVariables());
        variables["DB_USER"] = role;
        variables["DB_PASS"] = wrongPassword;
        variables["PORT"] = "0";
        variables["Logging:Captured:LogLevel:Default"] = "Trace";
        if (onCloudRun)
        {
            variables["K_SERVICE"] = "count-test";
            variables[AuthSettings.LoudLocalOverride] = "true";
        }
        var app = FunctionHost.Build(typeof(CallerInvoiceCountFunction).Assembly, ["--target", typeof(CallerInvoiceCountFunction).FullName!], variables);
        var formatterName = onCloudRun ? CloudLoggingJsonFormatter.FormatterName : ReadableLineFormatter.FormatterName;
        var log = new CapturedLog(app.Services.GetServices<ConsoleFormatter>().Single(formatter => formatter.Name == formatterName));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.StartAsync(Token);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)) };
            var bearer = new AuthenticationHeaderValue("Bearer", token);
            await SendAsync(client, HttpMethod.Get, "/", bearer);
            await SendAsync(client, HttpMethod.Get, "/?careless=1", bearer);
            await SendAsync(client, HttpMethod.Get, "/", new AuthenticationHeaderValue("Bearer", Tampered(token)));
            await SendAsync(client, HttpMethod.Get, "/readyz", authorization: null);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        var lines = log.Lines;
        // The refused login and the careless exception were both logged, whole, as errors.
        Assert.Contains(lines, line => line.Contains("GET / failed with 503", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("GET / failed with 500", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Request with Authorization Bearer ***", StringComparison.Ordinal));
        AssertNoSecret(lines, [password, wrongPassword], [token, Tampered(token)]);
        await DropRoleAsync(database, role);
    }

    [Fact]
    public void The_redactor_masks_bearer_tokens_whole_wherever_they_appear()
    {
        var token = TestAuthority.Token("caller-a");

        var header = SecretRedactor.Redact($"Authorization: Bearer {token}");
        var bare = SecretRedactor.Redact($"could not parse '{token}' in request");
        var basic = SecretRedactor.Redact($"Authorization: Basic {BasicCredentials("app", "Known-Db-Pass")}");

        Assert.Equal("Authorization: Bearer ***", header);
        Assert.Equal("could not parse '***' in request", bare);
        Assert.Equal("Authorization: Basic ***", basic);
    }

    [Fact]
    public void The_redactor_leaves_prose_about_bearer_authentication_readable()
    {
        const string line = "AuthenticationScheme: Bearer was not authenticated. Basic checks passed.";

        Assert.Equal(line, SecretRedactor.Redact(line));
    }

    private static void AssertNoSecret(IReadOnlyList<string> lines, IEnumerable<string> passwords, IEnumerable<string> tokens)
    {
        var secrets = passwords.ToList();
        foreach (var sent in tokens)
        {
            secrets.Add(sent);
            secrets.Add(sent.Split('.')[2]);
            secrets.Add("Bearer " + sent);
        }
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"A log line holds a secret: {line.Replace(secret, "<SECRET>", StringComparison.Ordinal)}");
            }
        }
    }

    private static async Task<IReadOnlyList<string>> RunAsync(
        TestDatabase database, string role, string password, IReadOnlyList<string> tokens, bool onCloudRun)
    {
        var variables = TestAuthority.With(database.SocketVariables());
        variables["DB_USER"] = role;
        variables["DB_PASS"] = password;
        // Every category at every level, so nothing a library logs only at Trace or Debug escapes the check.
        variables["Logging__Console__LogLevel__Default"] = "Trace";
        variables["ALLOWED_ORIGINS"] = "https://app.example.com";
        variables["RATE_LIMIT_PER_MINUTE"] = "30";
        if (onCloudRun)
        {
            variables["K_SERVICE"] = "invoices";
            variables[AuthSettings.LoudLocalOverride] = "true";
            variables["GOOGLE_CLOUD_PROJECT"] = "acme-books";
        }
        await using var function = await FunctionProcess.StartAsync("Invoices", variables, Token);
        await SendAsync(function.Client, HttpMethod.Get, "/readyz", authorization: null);
        foreach (var token in tokens)
        {
            await ExerciseAsync(function.Client, token);
        }
        await ExerciseAsync(function.Client, token: null);
        await SendAsync(function.Client, HttpMethod.Get, "/", new AuthenticationHeaderValue("Basic", BasicCredentials(role, password)));
        // Let the last lines reach the pipe before the process is killed.
        await Task.Delay(300, Token);
        return function.Output;
    }

    private static async Task ExerciseAsync(HttpClient client, string? token)
    {
        var authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        var id = Guid.NewGuid();
        var requests = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, "/", null),
            (HttpMethod.Get, "/?limit=5", null),
            (HttpMethod.Post, "/", """{"date":"2026-01-15","provider":"Acme","amount":"120.50","category":"office"}"""),
            (HttpMethod.Get, $"/{id}", null),
            (HttpMethod.Patch, $"/{id}", """{"status":"paid"}"""),
            (HttpMethod.Delete, $"/{id}", null),
            (HttpMethod.Post, "/import", "date,provider,amount,category\n2026-01-15,Acme,10,office\n"),
            (HttpMethod.Get, "/export.csv", null),
            (HttpMethod.Get, "/no/such/route", null),
        };
        foreach (var (method, path, body) in requests)
        {
            await SendAsync(client, method, path, authorization, body);
        }
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request, Token);
        await response.Content.CopyToAsync(Stream.Null, Token);
    }

    private static string BasicCredentials(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static string ForeignToken()
    {
        var key = LocalSigningKey.CreateRsaFile(Path.Combine(TemporaryFolder.Create("ivt-foreign-"), "k.pem"));
        return key.IssueToken("caller-secret-test", TestAuthority.Issuer, TestAuthority.Audience, TimeSpan.FromMinutes(5));
    }

    // Same header and payload, one signature character changed: parses fine, fails verification.
    private static string Tampered(string token)
    {
        var last = token[^2];
        return token[..^2] + (last == 'A' ? 'B' : 'A') + token[^1];
    }

    // A login of the test's own with a known password, and a wrong one that the server refuses.
    private async Task<(string Role, string Password, string WrongPassword)> CreateLoginAsync(TestDatabase database)
    {
        var role = "logs_" + Guid.NewGuid().ToString("N")[..12];
        var password = "Known-Db-Pass-" + Guid.NewGuid().ToString("N");
        await server.ExecuteAdminAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'", Token);
        await using var admin = database.AdminDataSource();
        await using var grant = admin.CreateCommand(
            $"GRANT USAGE ON SCHEMA public TO {role}; GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}; GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA public TO {role}");
        await grant.ExecuteNonQueryAsync(Token);
        return (role, password, "Wrong-Db-Pass-" + Guid.NewGuid().ToString("N"));
    }

    private async Task DropRoleAsync(TestDatabase database, string role)
    {
        await using (var admin = database.AdminDataSource())
        {
            await using var revoke = admin.CreateCommand($"DROP OWNED BY {role}");
            await revoke.ExecuteNonQueryAsync(Token);
        }
        await server.ExecuteAdminAsync($"DROP ROLE {role}", Token);
    }
}
