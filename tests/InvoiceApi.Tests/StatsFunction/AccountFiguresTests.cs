using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>Issue 16: Stats' figures are the account's, the same for each of its members, whatever their role.</summary>
public sealed class AccountFiguresTests(PostgresServer server)
{
    private const string Business = "acct_clinica_norte";

    [Fact]
    public async Task Every_member_of_an_account_gets_the_same_figures_and_another_account_none_of_them()
    {
        await using var app = await StatsApp.StartAsync(server);
        await app.InsertAsync(Business, StatsApp.Today, 100.00m);
        await app.InsertAsync(Business, StatsApp.Today, 50.25m, provider: "Globex");
        await app.InsertAsync("ana", StatsApp.Today, 7.00m);
        using var owner = app.ClientFor("ana", Membership(Business, "owner"));
        using var viewer = app.ClientFor("sara", Membership(Business, "viewer"));
        using var stranger = app.ClientFor("olga", Membership("acct_ferreteria_sur", "owner"));

        foreach (var path in new[] { "/dashboard", "/trend?months=3", "/providers" })
        {
            var byOwner = await StatsApp.GetJsonAsync(owner, path);
            var byViewer = await StatsApp.GetJsonAsync(viewer, path);
            Assert.Equal(byOwner.ToString(), byViewer.ToString());
        }
        var dashboard = await StatsApp.GetJsonAsync(viewer, "/dashboard");
        var figures = Assert.Single(dashboard.GetProperty("currencies").EnumerateArray());
        Assert.Equal((2, "150.25"), (figures.GetProperty("count").GetInt32(), figures.GetProperty("total").GetString()));
        Assert.Empty((await StatsApp.GetJsonAsync(stranger, "/dashboard")).GetProperty("currencies").EnumerateArray());
        // ana's personal account is another account: her own invoice, not the business's.
        var personal = Assert.Single((await StatsApp.GetJsonAsync(app.ClientFor("ana"), "/dashboard")).GetProperty("currencies").EnumerateArray());
        Assert.Equal("7.00", personal.GetProperty("total").GetString());
    }

    [Fact]
    public async Task The_created_by_breakdown_counts_the_invoices_each_member_recorded()
    {
        await using var app = await StatsApp.StartAsync(server);
        foreach (var (member, amount) in new[] { ("ana", 10.00m), ("luis", 20.00m), ("luis", 30.00m) })
        {
            var id = await app.InsertAsync(Business, StatsApp.Today, amount);
            await using var command = app.Admin.CreateCommand("UPDATE invoices SET created_by = $1 WHERE id = $2");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = member });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        using var viewer = app.ClientFor("sara", Membership(Business, "viewer"));

        var withBreakdown = Assert.Single((await StatsApp.GetJsonAsync(viewer, "/dashboard?breakdown=created_by")).GetProperty("currencies").EnumerateArray());
        var without = Assert.Single((await StatsApp.GetJsonAsync(viewer, "/dashboard")).GetProperty("currencies").EnumerateArray());
        var bad = await StatsApp.GetJsonAsync(viewer, "/dashboard?breakdown=provider", expectedStatus: 400);

        Assert.Equal(["luis 2 50.00", "ana 1 10.00"], withBreakdown.GetProperty("by_created_by").EnumerateArray()
            .Select(m => $"{m.GetProperty("created_by").GetString()} {m.GetProperty("count").GetInt32()} {m.GetProperty("total").GetString()}"));
        Assert.False(without.TryGetProperty("by_created_by", out _));
        Assert.Contains("breakdown", bad.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, object> Membership(string account, string role) => new() { ["account"] = account, ["account_role"] = role };
}
