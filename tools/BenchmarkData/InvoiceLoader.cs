using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>
/// Writes the data set with binary COPY, in chunks of one statement each, so the rollup triggers run as they do for
/// an import: the <see cref="DataSet"/>'s callers and counts, over the last three years.
/// </summary>
public static class InvoiceLoader
{
    private const int Chunk = 50_000;
    private static readonly string[] Categories = ["Rent", "Utilities", "Software", "Travel", "Food", "Office", "Legal", "Marketing", "Hardware", "Insurance", "Taxes", "Services"];
    private static readonly string?[] Methods = [null, "cash", "card", "transfer", "transfer", "check", "other"];

    /// <summary>Loads <paramref name="set"/> as a superuser (<paramref name="admin"/>), reporting every tenth caller.</summary>
    public static async Task LoadAsync(NpgsqlDataSource admin, DataSet set, DateOnly today, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(progress);
        var random = new Random(42);
        for (var caller = 0; caller < DataSet.Callers; caller++)
        {
            var count = set.CountOf(caller);
            for (var done = 0; done < count; done += Chunk)
            {
                await CopyAsync(admin, DataSet.Caller(caller), Math.Min(Chunk, count - done), today, random, cancellationToken);
            }
            if (caller % 10 == 0)
            {
                progress($"loaded caller {DataSet.Caller(caller)} ({count:N0} invoices)");
            }
        }
    }

    private static async Task CopyAsync(NpgsqlDataSource admin, string userId, int count, DateOnly today, Random random, CancellationToken cancellationToken)
    {
        await using var connection = await admin.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Benchmark books start without history, like books migrated from before accounts: a million history entries
        // would only make the load slower. The trigger is off for this transaction's COPY alone.
        await using (var quiet = new NpgsqlCommand("ALTER TABLE invoices DISABLE TRIGGER invoices_history_insert", connection, transaction))
        {
            await quiet.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY invoices (id, account_id, created_by, updated_by, date, due_date, provider, nit, amount, currency, payment_method, category, status, paid_at, archived_at,
                           subtotal, taxes, withholdings, withheld)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var date = today.AddDays(-random.Next(3 * 365));
            var recent = today.DayNumber - date.DayNumber < 60;
            var roll = random.Next(100);
            var status = recent ? (roll < 50 ? "pending" : roll < 95 ? "paid" : "void") : (roll < 2 ? "pending" : roll < 95 ? "paid" : "void");
            // A skewed choice among 150 suppliers, as real books are: a few take most of the money.
            var supplier = (int)(150 * Math.Pow(random.NextDouble(), 2));
            var currencyRoll = random.Next(100);
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(userId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(userId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(userId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(date, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(writer, random.Next(10) < 7 ? date.AddDays(30) : (DateOnly?)null, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync($"Supplier {supplier:D3}", NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, supplier % 4 == 0 ? null : $"{900000000 + supplier}-{supplier % 10}", NpgsqlDbType.Text, cancellationToken);
            var amount = random.Next(1_000_000, 500_000_000) / 100m;
            await writer.WriteAsync(amount, NpgsqlDbType.Numeric, cancellationToken);
            await writer.WriteAsync(currencyRoll < 92 ? "COP" : currencyRoll < 98 ? "USD" : "EUR", NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, Methods[random.Next(Methods.Length)], NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(Categories[random.Next(Categories.Length)], NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(status, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, status == "paid" ? date : (DateOnly?)null, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(writer, random.Next(100) < 2 ? DateTime.UtcNow : (DateTime?)null, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteTaxesAsync(writer, amount, random, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
        await writer.DisposeAsync();
        await using (var loud = new NpgsqlCommand("ALTER TABLE invoices ENABLE TRIGGER invoices_history_insert", connection, transaction))
        {
            await loud.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    // Most supplier invoices carry IVA (19 %, some 5 %), and the business withholds ReteRenta (2.5 %) on a third of those,
    // so /taxes reads a realistic share of taxed rows. The parts add up as the API's rules require.
    private static async Task WriteTaxesAsync(NpgsqlBinaryImporter writer, decimal amount, Random random, CancellationToken cancellationToken)
    {
        var roll = random.Next(100);
        var rate = roll < 60 ? 19m : roll < 75 ? 5m : 0m;
        if (rate == 0)
        {
            await writer.WriteNullAsync(cancellationToken);
            await writer.WriteAsync("[]", NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync("[]", NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(0m, NpgsqlDbType.Numeric, cancellationToken);
            return;
        }
        var subtotal = Math.Round(amount / (1 + rate / 100), 2);
        var tax = amount - subtotal;
        var withheld = random.Next(3) == 0 ? Math.Round(subtotal * 0.025m, 2) : 0m;
        await writer.WriteAsync(subtotal, NpgsqlDbType.Numeric, cancellationToken);
        await writer.WriteAsync(Tax("01", "IVA", rate, subtotal, tax), NpgsqlDbType.Jsonb, cancellationToken);
        await writer.WriteAsync(withheld == 0 ? "[]" : Tax("06", "ReteRenta", 2.5m, subtotal, withheld), NpgsqlDbType.Jsonb, cancellationToken);
        await writer.WriteAsync(withheld, NpgsqlDbType.Numeric, cancellationToken);
    }

    private static string Tax(string scheme, string name, decimal rate, decimal taxBase, decimal amount) => string.Create(CultureInfo.InvariantCulture,
        $$"""[{"scheme":"{{scheme}}","name":"{{name}}","rate":"{{rate:0.##}}","base":"{{taxBase:0.00}}","amount":"{{amount:0.00}}"}]""");

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, DateOnly? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } date ? writer.WriteAsync(date, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, DateTime? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } time ? writer.WriteAsync(time, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
