using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InvoiceApi.Data.Migrations;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Migrations;

/// <summary>
/// Migration 0008: an operator moves a user's personal books into a business account with invoice_move_account, as the
/// schema's owner (not a superuser: row-level security holds the owner, and the function must lift it for itself).
/// Invoices, history, figures and keys follow; nothing stays behind.
/// </summary>
public sealed class AccountMoveTests(PostgresServer server)
{
    private const string Business = "acct_clinica_norte";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_personal_accounts_invoices_history_figures_and_keys_move_into_the_business_account()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var owner = await TemporaryLogin.CreateAsync(database, "CREATEROLE", Token);
        await server.ExecuteAdminAsync($"ALTER DATABASE {database.Name} OWNER TO {owner.Name}", Token);
        await using var asOwner = owner.DataSource();
        await new Migrator(asOwner).MigrateAsync(Token);
        await using var invoices = await InProcessFunction.StartAsync(typeof(global::Invoices.Function).Assembly, database.RuntimeSocketVariables());
        await using var stats = await InProcessFunction.StartAsync(typeof(global::Stats.Function).Assembly, database.RuntimeSocketVariables());
        using var ana = Client(invoices, "ana", null);
        using var luis = Client(invoices, "luis", new() { ["account"] = Business, ["account_role"] = "editor" });
        using var anaAtWork = Client(invoices, "ana", new() { ["account"] = Business, ["account_role"] = "owner" });
        using var luisStats = Client(stats, "luis", new() { ["account"] = Business, ["account_role"] = "editor" });
        using var anaStats = Client(stats, "ana", null);
        var first = await CreateAsync(ana, "100.00", "ana-key");
        await CreateAsync(ana, "20.50", "shared-key");
        await CreateAsync(luis, "7.00", "luis-key");
        // The same member and key in the target account: the business's one is kept, the personal one dropped.
        await CreateAsync(anaAtWork, "1.00", "shared-key");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/{first}") { Content = Json("""{"description":"rent"}""") })
        {
            patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var patched = await ana.SendAsync(patch, Token);
            Assert.Equal(System.Net.HttpStatusCode.OK, patched.StatusCode);
        }

        long moved;
        await using (var move = asOwner.CreateCommand($"SELECT invoice_move_account('ana', '{Business}')"))
        {
            moved = (long)(await move.ExecuteScalarAsync(Token))!;
        }

        var businessList = await JsonAsync(luis, "/");
        var history = (await JsonAsync(luis, $"/{first}/history")).GetProperty("data").EnumerateArray().ToList();
        var businessFigures = Assert.Single((await JsonAsync(luisStats, "/dashboard?from=2024-01-01&to=2024-12-31")).GetProperty("currencies").EnumerateArray());
        Assert.Equal(2, moved);
        Assert.Equal(4, businessList.GetProperty("data").GetArrayLength());
        Assert.Empty((await JsonAsync(ana, "/")).GetProperty("data").EnumerateArray());
        Assert.Empty((await JsonAsync(anaStats, "/dashboard?from=2024-01-01&to=2024-12-31")).GetProperty("currencies").EnumerateArray());
        Assert.Equal((4, "128.50"), (businessFigures.GetProperty("count").GetInt32(), businessFigures.GetProperty("total").GetString()));
        Assert.Equal(["sql", "patch", "create"], history.Select(e => e.GetProperty("operation").GetString()));
        var change = Assert.Single(history[0].GetProperty("changes").EnumerateArray());
        Assert.Equal(("account_id", "ana", Business),
            (change.GetProperty("field").GetString(), change.GetProperty("old").GetString(), change.GetProperty("new").GetString()));
        Assert.Equal(owner.Name, history[0].GetProperty("member_id").GetString());
        Assert.Equal(["ana", "ana", "ana", "luis"], businessList.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("created_by").GetString()).Order());
        Assert.Equal(["acct_clinica_norte/ana/ana-key", "acct_clinica_norte/ana/shared-key", "acct_clinica_norte/luis/luis-key"],
            await KeysAsync(database));
        // Row-level security is back on for the owner once the move committed.
        await using var forced = asOwner.CreateCommand("SELECT count(*) FROM pg_class WHERE relname LIKE 'invoice%' AND relkind = 'r' AND relrowsecurity AND NOT relforcerowsecurity");
        Assert.Equal(0L, await forced.ExecuteScalarAsync(Token));
    }

    [Theory]
    [InlineData("'ana', 'ana'")]
    [InlineData("'ana', ''")]
    [InlineData("'ana', NULL")]
    public async Task A_move_onto_itself_or_nowhere_is_refused_and_changes_nothing(string arguments)
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var admin = database.AdminDataSource();
        await using var move = admin.CreateCommand($"SELECT invoice_move_account({arguments})");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => move.ExecuteScalarAsync(Token));

        Assert.Contains("needs two different accounts", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runtime_role_may_not_move_accounts()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var runtime = database.RuntimeDataSource();
        await using var move = runtime.CreateCommand($"SELECT invoice_move_account('ana', '{Business}')");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => move.ExecuteScalarAsync(Token));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private static HttpClient Client(InProcessFunction function, string subject, Dictionary<string, object>? claims)
    {
        var client = function.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthority.Token(subject, claims: claims));
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> CreateAsync(HttpClient client, string amount, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = Json($$"""{"date":"2024-05-10","provider":"Acme","amount":"{{amount}}","category":"Office"}"""),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static async Task<List<string>> KeysAsync(TestDatabase database)
    {
        await using var admin = database.AdminDataSource();
        await using var command = admin.CreateCommand("SELECT account_id || '/' || member_id || '/' || key FROM idempotency_keys ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var keys = new List<string>();
        while (await reader.ReadAsync(Token))
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
