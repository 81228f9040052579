using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// A write's rollup updates touch no index (migration 0013): no index of a rollup table carries a column the triggers
/// change (counts, totals, sums, labels, names) and every page keeps room, so each update is a HOT update. An index
/// added later that INCLUDEs such a column would make every write pay for it again; this test names the table.
/// </summary>
public sealed class RollupHotUpdateTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private const string TaxedInvoice = """
        INSERT INTO invoices (id, account_id, created_by, updated_by, date, due_date, provider, nit, amount, currency, payment_method,
                              category, status, subtotal, taxes, withholdings, withheld)
        VALUES (gen_random_uuid(), 'caller-a', 'member-1', 'member-1', DATE '2026-03-10', DATE '2026-04-10', 'Acme', '900123456-8', 119.00, 'COP',
                'transfer', 'Rent', 'pending', 100.00,
                '[{"scheme": "01", "name": "IVA", "rate": "19", "base": "100.00", "amount": "19.00"}]',
                '[{"scheme": "06", "name": "ReteRenta", "rate": "2.5", "base": "100.00", "amount": "2.50"}]', 2.50)
        """;

    [Fact]
    public async Task The_second_invoice_under_the_same_keys_updates_every_rollup_row_in_place()
    {
        await using var app = await StatsApp.StartAsync(server);
        await using var connection = await app.Admin.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await ExecuteAsync(connection, transaction,
            "SET LOCAL ROLE invoice_api_runtime; SELECT set_config('app.account_id', 'caller-a', true), set_config('app.account_role', 'editor', true), set_config('app.operation', 'create', true)");
        // The first creates the keys; the second, with the same date, due date, provider, category and taxes, updates
        // every one of them. pg_stat_xact_user_tables counts this transaction's own updates, HOT or not.
        await ExecuteAsync(connection, transaction, TaxedInvoice);
        await ExecuteAsync(connection, transaction, TaxedInvoice);

        await using var counts = new NpgsqlCommand("""
            SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables
            WHERE relname IN ('invoice_rollups', 'invoice_live_rollups', 'invoice_overdue_rollups', 'invoice_tax_rollups', 'invoice_account_versions')
            ORDER BY relname
            """, connection, transaction);
        var updates = new List<(string Table, long Updated, long Hot)>();
        await using (var reader = await counts.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                updates.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }
        Assert.Equal(["invoice_account_versions", "invoice_live_rollups", "invoice_overdue_rollups", "invoice_rollups", "invoice_tax_rollups"],
            updates.Select(u => u.Table));
        // 15 keys in invoice_rollups and in invoice_live_rollups, 4 overdue, 4 tax (two lines at day and month), 1 change number.
        Assert.All(updates, u => Assert.True(u.Updated >= 1, $"{u.Table}: the second invoice updated no row"));
        Assert.All(updates, u => Assert.True(u.Hot == u.Updated, $"{u.Table}: {u.Updated - u.Hot} of {u.Updated} updates were not HOT"));
        Assert.Equal(15, updates.Single(u => u.Table == "invoice_rollups").Updated);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(Token);
    }
}
