using Dapper;
using InvoiceApi.Functions.Api.Auth;
using Npgsql;

namespace Invoices;

/// <summary>Where an invoice came from, when it came in as a DIAN document (POST /documents).</summary>
/// <param name="RefersToCufe">A note's invoice, by the CUFE the note names.</param>
/// <param name="DocumentSha256">The SHA-256 of the original XML stored with it.</param>
internal sealed record DocumentOrigin(string? RefersToCufe, string DocumentSha256);

/// <summary>
/// The INSERT of one invoice, shared by POST / and POST /documents: the values, who recorded it, and for a document its
/// origin. A CUFE the account already has inserts nothing and answers null (the caller reads the existing invoice), so
/// the same document sent twice at once still makes one invoice.
/// </summary>
internal static class InvoiceInsert
{
    internal static Task<InvoiceRow?> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller, Guid id,
        InvoiceValues v, DocumentOrigin? origin, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<InvoiceRow>($"""
            INSERT INTO invoices (id, account_id, number, date, due_date, provider, nit, amount, currency, payment_method, category,
                                  description, status, paid_at, file_path, ocr_data, ocr_confidence,
                                  created_by, created_by_email, updated_by, updated_by_email, kind, subtotal, discounts, charges,
                                  prepaid, rounding, taxes, withholdings, withheld, cufe, refers_to_cufe, refers_to, document_sha256)
            VALUES (@id, @accountId, @number, @date, @dueDate, @provider, @nit, @amount, @currency, @paymentMethod, @category,
                    @description, @status, @paidAt, @filePath, @ocrData::jsonb, @ocrConfidence,
                    @memberId, @memberEmail, @memberId, @memberEmail, @kind, @subtotal, @discounts, @charges,
                    @prepaid, @rounding, @taxes::jsonb, @withholdings::jsonb, @withheld, @cufe, @refersToCufe,
                    (SELECT i.id FROM invoices AS i WHERE i.account_id = @accountId AND i.cufe = @refersToCufe), @documentSha256)
            ON CONFLICT (account_id, cufe) WHERE cufe IS NOT NULL DO NOTHING
            RETURNING {InvoiceRow.Columns}
            """,
            new
            {
                id, accountId = caller.AccountId, memberId = caller.MemberId, memberEmail = caller.MemberEmail,
                number = v.Number, date = v.Date, dueDate = v.DueDate, provider = v.Provider,
                nit = v.Nit, amount = v.Amount, currency = v.Currency, paymentMethod = v.PaymentMethod, category = v.Category,
                description = v.Description, status = v.Status, paidAt = v.PaidAt, filePath = v.FilePath, ocrData = v.OcrData,
                ocrConfidence = v.OcrConfidence, kind = v.Kind, subtotal = v.Subtotal, discounts = v.Discounts, charges = v.Charges,
                prepaid = v.Prepaid, rounding = v.Rounding, taxes = v.TaxesJson, withholdings = v.WithholdingsJson, withheld = v.Withheld,
                cufe = v.Cufe, refersToCufe = origin?.RefersToCufe, documentSha256 = origin?.DocumentSha256, cancellationToken,
            }, transaction);
}
