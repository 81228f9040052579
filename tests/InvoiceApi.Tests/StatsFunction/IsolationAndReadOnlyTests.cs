using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// Served as a runtime login (not the superuser), a caller's figures never include another caller's invoices; the
/// read path cannot write, leaves no transaction open, and the runtime role cannot write rollups itself.
/// </summary>
public sealed class IsolationAndReadOnlyTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_callers_figures_never_include_another_callers_invoices()
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        var month = StatsApp.CurrentMonth.AddMonths(-1);
        await app.InsertAsync(StatsApp.CallerA, month, 111.00m, "Shared Supplier", "Rent", "paid", currency: "USD");
        await app.InsertAsync(StatsApp.CallerA, month, 222.00m, "A Only", "Food", "pending", dueDate: month.AddDays(1));
        await app.InsertAsync(StatsApp.CallerB, month.AddDays(2), 7.00m, "Shared Supplier", "Rent", "paid");

        var dashboard = await StatsApp.GetJsonAsync(app.B, "/dashboard?include=void,archived");
        var trend = await StatsApp.GetJsonAsync(app.B, "/trend?by=category");
        var providers = await StatsApp.GetJsonAsync(app.B, "/providers");
        var a = await StatsApp.GetJsonAsync(app.A, "/dashboard");

        Assert.Equal(["COP"], dashboard.GetProperty("currencies").EnumerateArray().Select(c => c.GetProperty("currency").GetString()));
        var cop = DashboardFiguresTests.Currency(dashboard, "COP");
        Assert.Equal("1 7.00", DashboardFiguresTests.CountAndTotal(cop));
        Assert.Equal("0 0.00", DashboardFiguresTests.CountAndTotal(cop.GetProperty("overdue")));
        Assert.Equal(["rent"], DashboardFiguresTests.Currency(trend, "COP").GetProperty("series")[10].GetProperty("groups").EnumerateArray()
            .Select(g => g.GetProperty("key").GetString()));
        Assert.Equal(["1 7.00"], providers.GetProperty("currencies")[0].GetProperty("providers").EnumerateArray().Select(DashboardFiguresTests.CountAndTotal));
        Assert.Equal("1 222.00", DashboardFiguresTests.CountAndTotal(DashboardFiguresTests.Currency(a, "COP")));
        Assert.Equal("1 222.00", DashboardFiguresTests.CountAndTotal(DashboardFiguresTests.Currency(a, "COP").GetProperty("overdue")));
    }

    [Theory]
    [InlineData("invoice_rollups")]
    [InlineData("invoice_live_rollups")]
    [InlineData("invoice_overdue_rollups")]
    public async Task Row_level_security_hides_other_callers_rollups_and_the_runtime_role_cannot_write_them(string table)
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        // Pending, live and with a due date: it has rows in every rollup table.
        await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 10m, dueDate: StatsApp.Today.AddDays(5));
        var query = app.Function.App.Services.GetRequiredService<ReadOnlyQuery>();

        // No account_id in the SQL: only the policy stands between caller B and A's rows.
        async Task<long> CountAsync(string caller) => await query.RunAsync(DataScope.Of(caller), async (connection, token) =>
        {
            await using var command = ScopedReads.Command(connection, DataScope.Of(caller), $"SELECT count(*) FROM {table}");
            return (long)(await command.ExecuteScalarAsync(token))!;
        }, Token);
        var denied = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = await app.Function.App.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Token);
            await using var transaction = await connection.BeginTransactionAsync(Token);
            await using var command = new NpgsqlCommand($"""
                SELECT set_config('app.account_id', 'caller-a', true);
                UPDATE {table} SET total = total + 1000 WHERE account_id = 'caller-a'
                """, connection, transaction);
            await command.ExecuteNonQueryAsync(Token);
        });

        Assert.True(await CountAsync(StatsApp.CallerA) > 0);
        Assert.Equal(0, await CountAsync(StatsApp.CallerB));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task A_write_through_the_stats_read_path_fails_and_leaves_no_transaction_open()
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 10m);
        var query = app.Function.App.Services.GetRequiredService<ReadOnlyQuery>();

        var error = await Assert.ThrowsAsync<PostgresException>(() => query.RunAsync(DataScope.Of(StatsApp.CallerA), async (connection, token) =>
        {
            await using var command = ScopedReads.Command(connection, DataScope.Of(StatsApp.CallerA), "UPDATE invoices SET amount = amount + 1 WHERE account_id = 'caller-a'");
            return await command.ExecuteNonQueryAsync(token);
        }, Token));
        for (var i = 0; i < 5; i++)
        {
            await StatsApp.GetJsonAsync(app.A, "/dashboard");
            await StatsApp.GetJsonAsync(app.A, "/trend?by=status");
            await StatsApp.GetJsonAsync(app.A, "/providers");
        }

        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, error.SqlState);
        await using var check = app.Admin.CreateCommand(
            "SELECT count(*) FILTER (WHERE state LIKE 'idle in transaction%'), count(*) FROM pg_stat_activity WHERE datname = current_database() AND usename LIKE 'stats_%'");
        await using var reader = await check.ExecuteReaderAsync(Token);
        await reader.ReadAsync(Token);
        Assert.Equal(0, reader.GetInt64(0));
        Assert.True(reader.GetInt64(1) > 0, "the function's pooled sessions should be visible");
        await using var amount = app.Admin.CreateCommand("SELECT sum(amount) FROM invoices");
        Assert.Equal(10m, (decimal)(await amount.ExecuteScalarAsync(Token))!);
    }
}
