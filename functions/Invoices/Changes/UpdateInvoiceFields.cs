using System.Text.Json;
using Dapper;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Invoices;

/// <summary>
/// Rewrites an invoice's fields, the step PUT and PATCH share: If-Match (428, 400, 412), a JSON body, the invoice locked
/// while it is checked and written, the rules (422), the status transitions (409) and archived invoices refused (409);
/// version +1 and updated_at on a real change, nothing written when the result equals what is stored. Answers 200 with
/// the invoice.
/// </summary>
internal sealed class UpdateInvoiceFields(CallerTransaction transactions, InvoiceDraftValidator validator, TimeProvider clock)
{
    /// <summary>Turns the stored invoice and the request body into the full invoice JSON to validate and store.</summary>
    internal delegate JsonDocument Proposal(InvoiceRow current, JsonElement body);

    internal sealed record Request(Caller Caller, Guid Id, InvoiceETag IfMatch, JsonDocument Body);

    internal async Task<IResult> HandleAsync(HttpContext context, Guid id, string operation, IReadOnlyList<string> mediaTypes, Proposal propose)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        var (ifMatch, problem) = Preconditions.ReadIfMatch(context.Request, required: true);
        problem ??= unexpected.Count > 0 ? InvoiceProblems.BadQuery(unexpected) : null;
        var body = problem is null ? await JsonBody.ReadAsync(context.Request, mediaTypes, context.RequestAborted) : null;
        using var document = body?.Document;
        problem ??= body?.Problem ?? (document!.RootElement.ValueKind == JsonValueKind.Object ? null
            : InvoiceProblems.MalformedBody("The body must be a JSON object."));
        if (problem is not null)
        {
            return problem;
        }
        var request = new Request(context.GetCaller(), id, ifMatch, document!);
        var (invoice, refused) = await transactions.RunAsync(request.Caller.Writes(operation),
            (connection, transaction, token) => ChangeAsync(connection, transaction, request, propose, token), context.RequestAborted);
        return refused ?? (IResult)InvoiceResponse.Ok(invoice!);
    }

    private async Task<(InvoiceRow? Invoice, Problem? Problem)> ChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Request request, Proposal propose, CancellationToken cancellationToken)
    {
        var current = await InvoiceLookup.LockAsync(connection, transaction, request.Id, request.Caller.AccountId, cancellationToken);
        if (current is null)
        {
            return (null, InvoiceProblems.InvoiceNotFound(request.Id));
        }
        if (Preconditions.Check(request.IfMatch, request.Id, current.Version) is { } stale)
        {
            return (null, stale);
        }
        if (current.ArchivedAt is not null)
        {
            return (null, InvoiceProblems.Archived(request.Id));
        }
        using var proposal = propose(current, request.Body.RootElement);
        var (draft, invalid) = InvoiceInput.Check(proposal.RootElement, validator);
        if (invalid is not null)
        {
            return (null, invalid);
        }
        var values = InvoiceValues.FromValidDraft(draft!, CallerClock.Default(clock).Today, current.PaidAt);
        if (current.DocumentSha256 is not null && (values.Cufe != current.Cufe || values.Kind != current.Kind))
        {
            // The stored XML is the legal record: the invoice keeps the document's identity (its CUFE and kind).
            return (null, InvoiceProblems.Validation(new Dictionary<string, IReadOnlyList<string>>
            {
                [values.Cufe != current.Cufe ? InvoiceFields.Cufe : InvoiceFields.Kind] =
                    ["Cannot change on an invoice that came in as a DIAN document (its original XML is kept with it); send the stored value."],
            }));
        }
        if (!StatusTransitions.IsAllowed(current.Status, values.Status))
        {
            return (null, InvoiceProblems.StatusTransition(current.Status, values.Status));
        }
        if (IsUnchanged(current, values))
        {
            return (current, null);
        }
        var updated = await UpdateAsync(connection, transaction, request, current.Version, values, cancellationToken);
        // The row is locked, so its version cannot have moved; a miss would mean it vanished, which is a 404.
        return updated is null ? (null, InvoiceProblems.InvoiceNotFound(request.Id)) : (updated, null);
    }

    /// <summary>The writable fields of a stored invoice as API JSON: what PATCH merges into.</summary>
    internal static JsonDocument Representation(InvoiceRow invoice) => JsonDocument.Parse(InvoiceResponse.Serialize(invoice));

    private static bool IsUnchanged(InvoiceRow current, InvoiceValues values)
    {
        var stored = InvoiceValues.Of(current);
        return stored with { OcrData = null, TaxesJson = "", WithholdingsJson = "" } == values with { OcrData = null, TaxesJson = "", WithholdingsJson = "" }
            && SameJson(stored.OcrData, values.OcrData) && SameJson(stored.TaxesJson, values.TaxesJson)
            && SameJson(stored.WithholdingsJson, values.WithholdingsJson);
    }

    // jsonb prints its own spacing and key order: compare the JSON values, not the text.
    private static bool SameJson(string? stored, string? proposed)
    {
        if (stored is null || proposed is null)
        {
            return stored == proposed;
        }
        using var a = JsonDocument.Parse(stored);
        using var b = JsonDocument.Parse(proposed);
        return JsonElement.DeepEquals(a.RootElement, b.RootElement);
    }

    private static Task<InvoiceRow?> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Request request, int expectedVersion, InvoiceValues v, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<InvoiceRow>($"""
            UPDATE invoices
            SET number = @number, date = @date, due_date = @dueDate, provider = @provider, nit = @nit, amount = @amount,
                currency = @currency, payment_method = @paymentMethod, category = @category, description = @description,
                status = @status, paid_at = @paidAt, file_path = @filePath, ocr_data = @ocrData::jsonb,
                ocr_confidence = @ocrConfidence, kind = @kind, subtotal = @subtotal, discounts = @discounts, charges = @charges,
                prepaid = @prepaid, rounding = @rounding, taxes = @taxes::jsonb, withholdings = @withholdings::jsonb,
                withheld = @withheld, cufe = @cufe, version = version + 1, updated_at = now(),
                updated_by = @memberId, updated_by_email = @memberEmail
            WHERE id = @id AND account_id = @accountId AND version = @expectedVersion
            RETURNING {InvoiceRow.Columns}
            """,
            new
            {
                id = request.Id, accountId = request.Caller.AccountId, memberId = request.Caller.MemberId,
                memberEmail = request.Caller.MemberEmail, expectedVersion, number = v.Number, date = v.Date, dueDate = v.DueDate,
                provider = v.Provider, nit = v.Nit, amount = v.Amount, currency = v.Currency, paymentMethod = v.PaymentMethod,
                category = v.Category, description = v.Description, status = v.Status, paidAt = v.PaidAt, filePath = v.FilePath,
                ocrData = v.OcrData, ocrConfidence = v.OcrConfidence, kind = v.Kind, subtotal = v.Subtotal, discounts = v.Discounts,
                charges = v.Charges, prepaid = v.Prepaid, rounding = v.Rounding, taxes = v.TaxesJson, withholdings = v.WithholdingsJson,
                withheld = v.Withheld, cufe = v.Cufe, cancellationToken,
            }, transaction);
}
