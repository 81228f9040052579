using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceApi.Data.Migrations;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Migrations;

/// <summary>
/// Migration 0007 (accounts) on a database written by the previous version: every invoice stays visible to its old
/// caller, now as its personal account, with the same figures, and is attributed to that caller.
/// </summary>
public sealed class AccountsMigrationTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_database_of_the_previous_version_keeps_every_invoice_visible_to_its_old_caller_with_the_same_figures()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var admin = database.AdminDataSource();
        var previous = MigrationCatalog.Embedded.Where(m => m.Version < 7).ToList();
        await new Migrator(admin, previous).MigrateAsync(Token);
        // Written as the previous version did: one user per row, and a stored idempotency key.
        await using (var seed = admin.CreateCommand("""
            INSERT INTO invoices (id, user_id, date, provider, amount, category, status, paid_at) VALUES
                (gen_random_uuid(), 'caller-a', current_date - 3, 'Acme', 100.00, 'Office', 'pending', NULL),
                (gen_random_uuid(), 'caller-a', current_date - 2, 'Globex', 50.25, 'Travel', 'paid', current_date - 1),
                (gen_random_uuid(), 'caller-b', current_date - 1, 'Initech', 7.00, 'Office', 'pending', NULL);
            INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body) VALUES ('caller-a', 'k-1', 'h', 201, '\x7b7d');
            """))
        {
            await seed.ExecuteNonQueryAsync(Token);
        }

        var applied = await new Migrator(admin).MigrateAsync(Token);
        await using var invoices = await InProcessFunction.StartAsync(typeof(global::Invoices.Function).Assembly, database.RuntimeSocketVariables());
        await using var stats = await InProcessFunction.StartAsync(typeof(global::Stats.Function).Assembly, database.RuntimeSocketVariables());
        using var invoicesA = Caller(invoices, "caller-a");
        using var invoicesB = Caller(invoices, "caller-b");
        using var statsA = Caller(stats, "caller-a");

        var listA = await JsonAsync(invoicesA, "/");
        var listB = await JsonAsync(invoicesB, "/");
        var dashboardA = await JsonAsync(statsA, "/dashboard?breakdown=created_by");

        Assert.Equal(["0007_accounts.sql", "0008_move_account.sql"], applied.Select(m => m.Name).Take(2));
        Assert.Equal(["Globex", "Acme"], listA.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("provider").GetString()));
        Assert.All(listA.GetProperty("data").EnumerateArray(), invoice =>
            Assert.Equal(("caller-a", "caller-a"), (invoice.GetProperty("created_by").GetString(), invoice.GetProperty("updated_by").GetString())));
        Assert.Equal("Initech", Assert.Single(listB.GetProperty("data").EnumerateArray()).GetProperty("provider").GetString());
        var figures = Assert.Single(dashboardA.GetProperty("currencies").EnumerateArray());
        Assert.Equal((2, "150.25"), (figures.GetProperty("count").GetInt32(), figures.GetProperty("total").GetString()));
        Assert.Equal("caller-a 2 150.25", string.Join(";", figures.GetProperty("by_created_by").EnumerateArray()
            .Select(m => $"{m.GetProperty("created_by").GetString()} {m.GetProperty("count").GetInt32()} {m.GetProperty("total").GetString()}")));
        await using var key = admin.CreateCommand("SELECT account_id || '/' || member_id FROM idempotency_keys WHERE key = 'k-1'");
        Assert.Equal("caller-a/caller-a", await key.ExecuteScalarAsync(Token));
        await using var history = admin.CreateCommand("SELECT count(*) FROM invoice_history");
        Assert.Equal(0L, await history.ExecuteScalarAsync(Token));
    }

    private static HttpClient Caller(InProcessFunction function, string subject)
    {
        var client = function.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthority.Token(subject));
        return client;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
