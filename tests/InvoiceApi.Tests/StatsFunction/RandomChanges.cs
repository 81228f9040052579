using System.Globalization;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// Random invoice writes of every kind the API makes (create, update of each figure-moving field, archive, restore,
/// bulk INSERT ... SELECT as imports do, multi-row updates, edits that move no figure) plus an operator's DELETE,
/// each in its own transaction as the runtime role with the caller set, as the Invoices function writes.
/// </summary>
internal sealed class RandomChanges(NpgsqlDataSource admin, Random random)
{
    private static readonly string[] Providers = ["Acme", "ACME", "Globex", "Initech", "Umbrella", "Stark"];
    private static readonly string[] Categories = ["Rent", "rent", "Food", "Travel", "Software"];
    private static readonly string[] Currencies = ["COP", "COP", "USD", "EUR"];
    private static readonly string[] Statuses = ["pending", "paid", "void"];
    private static readonly string?[] Methods = [null, "cash", "card", "transfer", "check", "other"];
    private static readonly string?[] Nits = [null, "900123456-8", "800111222-3"];

    private readonly Random _slots = new(42);

    internal async Task ApplyAsync(string userId, DateOnly firstDate, DateOnly lastDate)
    {
        var days = lastDate.DayNumber - firstDate.DayNumber;
        string Date() => Literal(firstDate.AddDays(random.Next(days + 1)));
        string Pick(string?[] values) => values[random.Next(values.Length)] is { } value ? $"'{value}'" : "NULL";
        string Amount() => (random.Next(1, 5_000_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var one = $"(SELECT id FROM invoices WHERE account_id = '{userId}' ORDER BY md5(id::text || '{random.Next()}') LIMIT 1)";
        var sql = random.Next(14) switch
        {
            0 or 1 or 2 => Insert(userId, $"member-{random.Next(3)}", Date(), Amount(), Pick(Providers), Pick(Nits), Pick(Currencies), Pick(Methods), Pick(Categories), Pick(Statuses), random.Next(3)),
            3 => $"UPDATE invoices SET amount = {Amount()}, version = version + 1 WHERE id = {one}",
            4 => $"UPDATE invoices SET status = s, paid_at = CASE WHEN s = 'paid' THEN date END FROM (SELECT {Pick(Statuses)} AS s) AS x WHERE id = {one}",
            5 => $"UPDATE invoices SET category = {Pick(Categories)} WHERE id = {one}",
            6 => $"UPDATE invoices SET date = d, due_date = CASE WHEN due_date IS NOT NULL THEN d + 10 END, paid_at = CASE WHEN status = 'paid' THEN d END FROM (SELECT DATE {Date()} AS d) AS x WHERE id = {one}",
            7 => $"UPDATE invoices SET currency = {Pick(Currencies)}, payment_method = {Pick(Methods)} WHERE id = {one}",
            8 => $"UPDATE invoices SET provider = {Pick(Providers)}, nit = {Pick(Nits)} WHERE id = {one}",
            9 => $"UPDATE invoices SET archived_at = now() WHERE id = {one}",
            10 => $"UPDATE invoices SET archived_at = NULL WHERE id IN (SELECT id FROM invoices WHERE account_id = '{userId}' AND archived_at IS NOT NULL LIMIT 2)",
            11 => BulkInsert(userId, firstDate, days, random.Next(5, 40)),
            12 => $"UPDATE invoices SET amount = amount + 1, description = 'bulk' WHERE account_id = '{userId}' AND lower(category) = lower({Pick(Categories)})",
            _ => $"UPDATE invoices SET description = 'edited {random.Next()}', version = version + 1 WHERE id = {one}",
        };
        await RunAsRuntimeAsync(userId, sql);
        if (random.Next(25) == 0)
        {
            // An operator's delete: the runtime role has no DELETE; the owner's goes through the same trigger.
            await using var delete = admin.CreateCommand($"DELETE FROM invoices WHERE id = {one}");
            await delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Archives <paramref name="count"/> more of the caller's invoices in one statement: restores are as frequent as
    /// archives above, so without this the end state may hold no archived invoice for the figures to leave out.
    /// </summary>
    internal Task ArchiveSomeAsync(string userId, int count) => RunAsRuntimeAsync(userId,
        $"UPDATE invoices SET archived_at = now() WHERE id IN (SELECT id FROM invoices WHERE account_id = '{userId}' AND archived_at IS NULL ORDER BY md5(id::text || '{random.Next()}') LIMIT {count})");

    /// <summary>Runs <paramref name="sql"/> as the Invoices function writes, in write slot 0 to 3 (below).</summary>
    internal async Task RunAsRuntimeAsync(string userId, string sql)
    {
        var token = TestContext.Current.CancellationToken;
        // As if up to three other writers of the account were at work: they hold its lowest write slots, so this change
        // lands in slot 0 to 3 (migration 0010) and the figures must sum rows of several slots. Its own random source,
        // so the changes themselves stay the same for the seed.
        await using var others = await admin.OpenConnectionAsync(token);
        await using (var hold = new NpgsqlCommand(
            $"SELECT count(pg_advisory_lock(hashtext('{userId}'), s)) FROM generate_series(0, {_slots.Next(4) - 1}) AS s", others))
        {
            await hold.ExecuteNonQueryAsync(token);
        }
        await using var connection = await admin.OpenConnectionAsync(token);
        await using var transaction = await connection.BeginTransactionAsync(token);
        await using (var scope = new NpgsqlCommand($"SET LOCAL ROLE invoice_api_runtime; SELECT set_config('app.account_id', '{userId}', true), set_config('app.account_role', 'editor', true), set_config('app.operation', 'import', true)", connection, transaction))
        {
            await scope.ExecuteNonQueryAsync(token);
        }
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(token);
        }
        await transaction.CommitAsync(token);
        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", others);
        await release.ExecuteNonQueryAsync(token);
    }

    private static string Insert(string userId, string member, string date, string amount, string provider, string nit, string currency, string method,
        string category, string status, int dueKind) => $"""
        INSERT INTO invoices (id, account_id, created_by, updated_by, date, due_date, provider, nit, amount, currency, payment_method, category, status, paid_at, archived_at)
        VALUES (gen_random_uuid(), '{userId}', '{member}', '{member}', DATE {date}, {(dueKind == 0 ? "NULL" : $"DATE {date} + {dueKind * 20}")}, {provider}, {nit}, {amount},
                {currency}, {method}, {category}, {status}, CASE WHEN {status} = 'paid' THEN DATE {date} END, NULL)
        """;

    // Many rows in one statement, as an import's INSERT ... SELECT does.
    private static string BulkInsert(string userId, DateOnly firstDate, int days, int count) => $"""
        INSERT INTO invoices (id, account_id, created_by, updated_by, date, due_date, provider, nit, amount, currency, payment_method, category, status, paid_at)
        SELECT gen_random_uuid(), '{userId}', '{userId}', '{userId}', d, CASE WHEN g % 3 = 0 THEN d + 15 END, (ARRAY['Acme','Globex','Stark'])[1 + g % 3],
               CASE WHEN g % 2 = 0 THEN '900123456-8' END, (1 + (g * 7919) % 100000) / 100.0, (ARRAY['COP','USD'])[1 + g % 2],
               (ARRAY['cash','card',NULL])[1 + g % 3], (ARRAY['Rent','Food','Travel'])[1 + g % 3], s,
               CASE WHEN s = 'paid' THEN d END
        FROM generate_series(1, {count}) AS g
        CROSS JOIN LATERAL (SELECT DATE {Literal(firstDate)} + ((g * 37) % {days + 1}) AS d, (ARRAY['pending','paid','void'])[1 + g % 3] AS s) AS x
        """;

    private static string Literal(DateOnly date) => $"'{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
}
