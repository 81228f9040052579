using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// The Stats function on its own freshly migrated database, served in-process by the real host, with clients for two
/// callers and helpers that seed invoices as the superuser (the Invoices operations are not needed to test figures).
/// </summary>
public sealed class StatsApp : IAsyncDisposable
{
    public const string CallerA = "caller-a";
    public const string CallerB = "caller-b";

    private StatsApp(TestDatabase database, InProcessFunction function, NpgsqlDataSource admin)
    {
        Database = database;
        Function = function;
        Admin = admin;
        A = ClientFor(CallerA);
        B = ClientFor(CallerB);
    }

    public TestDatabase Database { get; }

    public InProcessFunction Function { get; }

    /// <summary>A superuser connection to the test's database.</summary>
    public NpgsqlDataSource Admin { get; }

    public HttpClient A { get; }

    public HttpClient B { get; }

    /// <summary>Today in Bogota, the function's default zone.</summary>
    public static DateOnly Today =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);

    public static DateOnly CurrentMonth => new(Today.Year, Today.Month, 1);

    public static async Task<StatsApp> StartAsync(PostgresServer server, Dictionary<string, string?>? extraVariables = null, bool asRuntimeRole = false)
    {
        var database = await server.CreateDatabaseAsync(migrated: true, TestContext.Current.CancellationToken);
        var variables = database.SocketVariables();
        if (asRuntimeRole)
        {
            // A login of its own in the runtime group, as deployed: row-level security and the grants hold it, unlike the superuser.
            var login = "stats_" + database.Name;
            await server.ExecuteAdminAsync($"CREATE ROLE {login} LOGIN PASSWORD 'runtime-pw' IN ROLE invoice_api_runtime", TestContext.Current.CancellationToken);
            variables["DB_USER"] = login;
            variables["DB_PASS"] = "runtime-pw";
        }
        foreach (var (name, value) in extraVariables ?? [])
        {
            variables[name] = value;
        }
        var function = await InProcessFunction.StartAsync(typeof(global::Stats.Function).Assembly, variables);
        return new StatsApp(database, function, database.AdminDataSource());
    }

    public HttpClient ClientFor(string subject, IReadOnlyDictionary<string, object>? claims = null)
    {
        var client = Function.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthority.Token(subject, claims: claims));
        return client;
    }

    /// <summary>
    /// Inserts one invoice as the superuser; returns its id. <paramref name="taxes"/> and <paramref name="withholdings"/> are
    /// 0011's JSON lists; a credit note (<paramref name="kind"/>) needs a negative amount.
    /// </summary>
    public async Task<Guid> InsertAsync(string userId, DateOnly date, decimal amount, string provider = "Acme", string category = "General",
        string status = "pending", string currency = "COP", string? paymentMethod = null, string? nit = null, DateOnly? dueDate = null,
        bool archived = false, string kind = "invoice", string taxes = "[]", string withholdings = "[]")
    {
        var id = Guid.CreateVersion7();
        await using var command = Admin.CreateCommand("""
            INSERT INTO invoices (id, account_id, created_by, updated_by, date, due_date, provider, nit, amount, currency, payment_method, category, status, paid_at, archived_at,
                                  kind, taxes, withholdings)
            VALUES ($1, $2, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $11 = 'paid' THEN $3 END, CASE WHEN $12 THEN now() END,
                    $13, $14::jsonb, $15::jsonb)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = date });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)dueDate ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provider });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)nit ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = amount });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = currency });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)paymentMethod ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = category });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = archived });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taxes });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = withholdings });
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return id;
    }

    /// <summary>GETs <paramref name="path"/> and parses the JSON body, asserting the status first.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == expectedStatus, $"GET {path}: expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        await Function.DisposeAsync();
        await Admin.DisposeAsync();
    }
}
