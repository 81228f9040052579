using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Reliability;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// A restore from backup restarts the server and rewinds the change-number sequence, so a caller can get back a number
/// it had before, over other invoices: the figures kept under that number must not be served again.
/// </summary>
[Collection(CrashableClusterGroup.Name)]
public sealed class FiguresCacheRestoreTests(CrashableCluster crashable)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_number_that_comes_back_after_a_server_restart_is_a_miss_with_the_new_figures()
    {
        var database = await crashable.CreateDatabaseAsync(Token);
        await using var admin = crashable.AdminDataSource(database);
        await InsertAsync(admin, 100.00m);
        await using var function = await InProcessFunction.StartAsync(typeof(global::Stats.Function).Assembly, crashable.RuntimeVariables(database));
        var (before, _) = await DashboardAsync(function);
        var (_, cached) = await DashboardAsync(function);
        var number = await ScalarAsync(admin, "SELECT version FROM invoice_account_versions WHERE account_id = 'caller-a'");

        // The restore: the server starts again, and the caller's invoices differ under the number it had before.
        await crashable.Cluster.StopImmediateAsync(Token);
        await crashable.Cluster.RestartAsync(Token);
        await InsertAsync(admin, 5.00m);
        await ScalarAsync(admin, $"UPDATE invoice_account_versions SET version = {number} WHERE account_id = 'caller-a' RETURNING version");
        var (after, cache) = await DashboardAsync(function);

        Assert.Equal("1 100.00 hit", $"{before} {cached}");
        Assert.Equal("2 105.00 miss", $"{after} {cache}");
    }

    private static async Task<(string Figures, string Cache)> DashboardAsync(InProcessFunction function)
    {
        using var response = await function.Client.GetAsync("/dashboard?currency=COP", Token);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var cop = body.GetProperty("currencies")[0];
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        return ($"{cop.GetProperty("count").GetInt32()} {cop.GetProperty("total").GetString()}", timing.Contains("cache;desc=hit", StringComparison.Ordinal) ? "hit" : "miss");
    }

    private static async Task InsertAsync(NpgsqlDataSource admin, decimal amount)
    {
        await using var command = admin.CreateCommand(
            "INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, category) VALUES (gen_random_uuid(), 'caller-a', 'caller-a', 'caller-a', current_date - 3, 'Acme', $1, 'X')");
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = amount });
        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource admin, string sql)
    {
        await using var command = admin.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }
}
