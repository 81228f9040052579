using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// Two members of one account writing at once do not wait for each other (migration 0010): each open transaction
/// writes its own slot of the account's rollup rows and change number, and the figures are the sums over slots.
/// </summary>
public sealed class WriteSlotsTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_open_writer_of_the_same_account_and_day_does_not_wait_for_the_first()
    {
        await using var app = await StatsApp.StartAsync(server);
        var before = await ChangeNumberAsync(app.Admin);
        await using var first = await OpenWriterAsync(app.Admin);
        await InsertAsync(first, 100m);

        // Without slots the second INSERT waits on the rows the first holds until it commits: here, until lock_timeout.
        await using var second = await OpenWriterAsync(app.Admin);
        await using (var patience = new NpgsqlCommand("SET LOCAL lock_timeout = '2s'", second.Connection, second.Transaction))
        {
            await patience.ExecuteNonQueryAsync(Token);
        }
        await InsertAsync(second, 250m);
        await second.Transaction.CommitAsync(Token);
        await first.Transaction.CommitAsync(Token);

        await using var sums = app.Admin.CreateCommand("""
            SELECT sum(invoice_count), sum(total), count(DISTINCT slot) FROM invoice_live_rollups
            WHERE account_id = 'caller-a' AND dimension = 'status' AND grain = 'day'
            """);
        await using var reader = await sums.ExecuteReaderAsync(Token);
        await reader.ReadAsync(Token);
        Assert.Equal((2m, 350m, 2L), (reader.GetDecimal(0), reader.GetDecimal(1), reader.GetInt64(2)));
        await reader.DisposeAsync();
        var after = await ChangeNumberAsync(app.Admin);
        Assert.True(after > before, $"the change number went from {before} to {after}");
        var dashboard = await StatsApp.GetJsonAsync(app.A, "/dashboard");
        var currency = dashboard.GetProperty("currencies").EnumerateArray().Single();
        Assert.Equal((2L, "350.00"), (currency.GetProperty("count").GetInt64(), currency.GetProperty("total").GetString()));
    }

    private static async Task<decimal> ChangeNumberAsync(NpgsqlDataSource admin)
    {
        await using var command = admin.CreateCommand("SELECT coalesce(sum(version), 0) FROM invoice_account_versions WHERE account_id = 'caller-a'");
        return (decimal)(await command.ExecuteScalarAsync(Token))!;
    }

    private static async Task<Writer> OpenWriterAsync(NpgsqlDataSource admin)
    {
        var connection = await admin.OpenConnectionAsync(Token);
        var transaction = await connection.BeginTransactionAsync(Token);
        await using var scope = new NpgsqlCommand(
            "SET LOCAL ROLE invoice_api_runtime; SELECT set_config('app.account_id', 'caller-a', true), set_config('app.account_role', 'editor', true), set_config('app.operation', 'create', true)",
            connection, transaction);
        await scope.ExecuteNonQueryAsync(Token);
        return new Writer(connection, transaction);
    }

    private static async Task InsertAsync(Writer writer, decimal amount)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, currency, category, status)
            VALUES (gen_random_uuid(), 'caller-a', 'member-1', 'member-1', $2, 'Acme', $1, 'COP', 'Office', 'pending')
            """, writer.Connection, writer.Transaction);
        insert.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = amount });
        insert.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = StatsApp.Today });
        await insert.ExecuteNonQueryAsync(Token);
    }

    private sealed record Writer(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
