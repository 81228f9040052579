using Dapper;
using InvoiceApi.Functions.Api.Auth;
using Npgsql;
using NpgsqlTypes;

namespace Invoices;

/// <summary>
/// Writes validated invoices in one statement batch: a binary COPY into a temporary table, then one INSERT ... SELECT
/// into <c>invoices</c>. PostgreSQL refuses COPY FROM into a table with row-level security, and going through INSERT keeps
/// the policy's WITH CHECK (the rows are the caller's) and every constraint in force.
/// </summary>
internal static class InvoiceImportWriter
{
    private const string Columns =
        "id, number, date, due_date, provider, nit, amount, currency, payment_method, category, description, status, paid_at, file_path, ocr_data, ocr_confidence, " +
        "kind, subtotal, discounts, charges, prepaid, rounding, taxes, withholdings, withheld, cufe";

    /// <summary>Writes <paramref name="invoices"/> for <paramref name="caller"/>'s account inside its transaction; returns the new ids in row order.</summary>
    internal static async Task<IReadOnlyList<Guid>> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller,
        IReadOnlyList<InvoiceValues> invoices, CancellationToken cancellationToken)
    {
        // Dropped at commit, and a rollback undoes its creation: nothing outlives the transaction on a pooled connection.
        await connection.ExecuteAsync("""
            CREATE TEMP TABLE invoice_import (
                id uuid, number text, date date, due_date date, provider text, nit text, amount numeric(15, 2), currency text,
                payment_method text, category text, description text, status text, paid_at date, file_path text, ocr_data text,
                ocr_confidence double precision, kind text, subtotal numeric(15, 2), discounts numeric(15, 2), charges numeric(15, 2),
                prepaid numeric(15, 2), rounding numeric(15, 2), taxes text, withholdings text, withheld numeric(15, 2), cufe text
            ) ON COMMIT DROP
            """, new { cancellationToken }, transaction);
        var ids = await CopyAsync(connection, invoices, cancellationToken);
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO invoices (id, account_id, number, date, due_date, provider, nit, amount, currency, payment_method, category,
                                  description, status, paid_at, file_path, ocr_data, ocr_confidence,
                                  created_by, created_by_email, updated_by, updated_by_email, kind, subtotal, discounts, charges,
                                  prepaid, rounding, taxes, withholdings, withheld, cufe)
            SELECT id, @accountId, number, date, due_date, provider, nit, amount, currency, payment_method, category,
                   description, status, paid_at, file_path, ocr_data::jsonb, ocr_confidence,
                   @memberId, @memberEmail, @memberId, @memberEmail, kind, subtotal, discounts, charges,
                   prepaid, rounding, taxes::jsonb, withholdings::jsonb, withheld, cufe
            FROM invoice_import
            """, new { accountId = caller.AccountId, memberId = caller.MemberId, memberEmail = caller.MemberEmail, cancellationToken }, transaction);
        return inserted == ids.Count ? ids : throw new InvalidOperationException($"The import inserted {inserted} of {ids.Count} rows.");
    }

    private static async Task<List<Guid>> CopyAsync(NpgsqlConnection connection, IReadOnlyList<InvoiceValues> invoices, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>(invoices.Count);
        await using var importer = await connection.BeginBinaryImportAsync($"COPY invoice_import ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var invoice in invoices)
        {
            var id = Guid.CreateVersion7();
            ids.Add(id);
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
            await WriteAsync(importer, invoice.Number, cancellationToken);
            await importer.WriteAsync(invoice.Date, NpgsqlDbType.Date, cancellationToken);
            await WriteAsync(importer, invoice.DueDate, cancellationToken);
            await importer.WriteAsync(invoice.Provider, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, invoice.Nit, cancellationToken);
            await importer.WriteAsync(invoice.Amount, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(invoice.Currency, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, invoice.PaymentMethod, cancellationToken);
            await importer.WriteAsync(invoice.Category, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, invoice.Description, cancellationToken);
            await importer.WriteAsync(invoice.Status, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, invoice.PaidAt, cancellationToken);
            await WriteAsync(importer, invoice.FilePath, cancellationToken);
            await WriteAsync(importer, invoice.OcrData, cancellationToken);
            if (invoice.OcrConfidence is { } confidence)
            {
                await importer.WriteAsync(confidence, NpgsqlDbType.Double, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }
            await importer.WriteAsync(invoice.Kind, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, invoice.Subtotal, cancellationToken);
            await WriteAsync(importer, invoice.Discounts, cancellationToken);
            await WriteAsync(importer, invoice.Charges, cancellationToken);
            await WriteAsync(importer, invoice.Prepaid, cancellationToken);
            await WriteAsync(importer, invoice.Rounding, cancellationToken);
            await importer.WriteAsync(invoice.TaxesJson, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(invoice.WithholdingsJson, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(invoice.Withheld, NpgsqlDbType.Numeric, cancellationToken);
            await WriteAsync(importer, invoice.Cufe, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
        return ids;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, decimal? value, CancellationToken cancellationToken) =>
        value is { } amount ? importer.WriteAsync(amount, NpgsqlDbType.Numeric, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, DateOnly? value, CancellationToken cancellationToken) =>
        value is { } date ? importer.WriteAsync(date, NpgsqlDbType.Date, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
