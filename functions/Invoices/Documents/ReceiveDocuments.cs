using System.Buffers;
using System.Text.Json;
using Dapper;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Limits;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Invoices;

/// <summary>
/// POST /documents: takes what a supplier sends (docs/documents.md): an AttachedDocument XML, a bare UBL Invoice,
/// CreditNote or DebitNote, or the ZIP they come in (up to 100 documents, PDFs skipped), and makes each document an
/// invoice, in one transaction. Each document is answered on its own: created, already recorded (the same CUFE sent
/// again creates nothing and answers the invoice it made first) or refused with its reasons. 201 when every document is
/// recorded and one is new, 200 when all were already there, 207 when some were refused, 422 when all were; an upload
/// that is not readable as a whole (hostile or broken ZIP or XML, too large) is a 422 or 413 and writes nothing.
/// </summary>
internal sealed class ReceiveDocuments(CallerTransaction transactions, InvoiceDraftValidator validator, TimeProvider clock) : IRouteHandler
{
    internal const string RefusedUploadType = ProblemTypes.Prefix + "refused-upload";
    internal const string RefusedDocumentsType = ProblemTypes.Prefix + "refused-documents";

    /// <summary>One document's answer: the invoice it made or found, or why it was refused.</summary>
    internal sealed record Outcome(string File, string Status, InvoiceRow? Invoice, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors)
    {
        internal const string Created = "created";
        internal const string Existing = "existing";
        internal const string Refused = "refused";
    }

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (unexpected.Count > 0)
        {
            return InvoiceProblems.BadQuery(unexpected);
        }
        // A ZIP of documents may be as large as an import (docs/api.md); every other request keeps the host's 1 MiB.
        RequestBodyLimit.Allow(context, RequestBodyLimit.ImportBytes);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            return InvoiceProblems.MalformedBody("The body is empty: send the supplier's XML document or the ZIP it came in.");
        }
        var upload = DianUploadReader.Read(buffer.ToArray(), "upload");
        if (upload.Refusal is { } refusal)
        {
            return new Problem(StatusCodes.Status422UnprocessableEntity, RefusedUploadType, "Upload refused", $"{refusal} Nothing was recorded.");
        }
        var caller = context.GetCaller();
        var today = CallerClock.Default(clock).Today;
        var outcomes = await transactions.RunAsync(caller.Writes("document"),
            (connection, transaction, token) => RecordAsync(connection, transaction, caller, upload, today, token), context.RequestAborted);
        return Answer(outcomes, upload.SkippedEntries);
    }

    private async Task<IReadOnlyList<Outcome>> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller,
        DianUpload upload, DateOnly today, CancellationToken cancellationToken)
    {
        var account = await AccountSettingsStore.ReadAsync(connection, transaction, caller.AccountId, cancellationToken);
        var outcomes = new List<Outcome>(upload.Files.Count);
        foreach (var file in upload.Files)
        {
            outcomes.Add(file.Document is { } document
                ? await RecordAsync(connection, transaction, caller, account?.Nit, file, document, today, cancellationToken)
                : Refused(file.Name, file.Refusal!));
        }
        return outcomes;
    }

    private async Task<Outcome> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller, string? accountNit,
        DianFile file, DianDocument document, DateOnly today, CancellationToken cancellationToken)
    {
        if (accountNit is not null && document.Buyer.Id != accountNit.Split('-')[0])
        {
            var buyer = document.Buyer.Id.Length == 0 ? "names no buyer"
                : $"is addressed to buyer {document.Buyer.Id}{(document.Buyer.CheckDigit is { } digit ? $"-{digit}" : "")}";
            return Refused(file.Name, $"The document {buyer}, not to this account's NIT {accountNit}; it belongs to another business's books.");
        }
        if (await InvoiceLookup.ByCufeAsync(connection, transaction, caller.AccountId, document.Cufe, cancellationToken) is { } recorded)
        {
            return new Outcome(file.Name, Outcome.Existing, recorded, null);
        }
        var supplierNit = DocumentDraft.NitOf(document.Supplier);
        var category = supplierNit is null ? null : await LastCategoryAsync(connection, transaction, caller.AccountId, supplierNit, cancellationToken);
        var draft = DocumentDraft.From(document, category ?? DocumentDraft.DefaultCategory);
        var errors = InvoiceInput.Errors(draft, new Dictionary<string, IReadOnlyList<string>>(), validator);
        if (errors.Count > 0)
        {
            return new Outcome(file.Name, Outcome.Refused, null, errors);
        }
        var values = InvoiceValues.FromValidDraft(draft, today);
        var sha256 = DocumentStore.Sha256(file.Xml);
        var invoice = await InvoiceInsert.InsertAsync(connection, transaction, caller, Guid.CreateVersion7(clock.GetUtcNow()), values,
            new DocumentOrigin(document.ReferencedCufe, sha256), cancellationToken);
        if (invoice is null)
        {
            // Another request recorded the same document a moment ago.
            var first = await InvoiceLookup.ByCufeAsync(connection, transaction, caller.AccountId, document.Cufe, cancellationToken);
            return new Outcome(file.Name, Outcome.Existing, first, null);
        }
        await DocumentStore.SaveAsync(connection, transaction, invoice.Id, file.Name, sha256, file.Xml, cancellationToken);
        if (invoice.Kind == InvoiceValues.InvoiceKind && invoice.Cufe is { } cufe)
        {
            await LinkWaitingNotesAsync(connection, transaction, caller, invoice.Id, cufe, cancellationToken);
        }
        return new Outcome(file.Name, Outcome.Created, invoice, null);
    }

    // The category the account gave this supplier's last invoice: a document says who sold, not what the books call it.
    private static Task<string?> LastCategoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId, string nit,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>("""
            SELECT category FROM invoices
            WHERE account_id = @accountId AND nit = @nit
            ORDER BY date DESC, created_at DESC
            LIMIT 1
            """, new { accountId, nit, cancellationToken }, transaction);

    // Notes that came in before their invoice point at it now (a change like any other: version, history).
    private static Task<int> LinkWaitingNotesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller, Guid invoiceId,
        string cufe, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("""
            UPDATE invoices
            SET refers_to = @invoiceId, version = version + 1, updated_at = now(), updated_by = @memberId, updated_by_email = @memberEmail
            WHERE account_id = @accountId AND refers_to_cufe = @cufe AND refers_to IS NULL
            """, new { invoiceId, cufe, accountId = caller.AccountId, memberId = caller.MemberId, memberEmail = caller.MemberEmail, cancellationToken },
            transaction);

    private static Outcome Refused(string file, string reason) =>
        new(file, Outcome.Refused, null, new Dictionary<string, IReadOnlyList<string>> { ["document"] = [reason] });

    private static IResult Answer(IReadOnlyList<Outcome> outcomes, int skippedEntries)
    {
        var refused = outcomes.Count(o => o.Status == Outcome.Refused);
        var created = outcomes.Count(o => o.Status == Outcome.Created);
        if (refused == outcomes.Count)
        {
            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var i = 0; i < outcomes.Count; i++)
            {
                foreach (var (field, messages) in outcomes[i].Errors!)
                {
                    errors[$"documents[{i}].{field}"] = [.. messages.Select(message => $"{outcomes[i].File}: {message}")];
                }
            }
            return new Problem(StatusCodes.Status422UnprocessableEntity, RefusedDocumentsType, "Documents refused",
                $"None of the {outcomes.Count} document(s) could be recorded; see errors. Nothing was written.") { Errors = errors };
        }
        var status = refused > 0 ? StatusCodes.Status207MultiStatus : created > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        return new Summary(status, Serialize(outcomes, skippedEntries));
    }

    private static byte[] Serialize(IReadOnlyList<Outcome> outcomes, int skippedEntries)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("created", outcomes.Count(o => o.Status == Outcome.Created));
            json.WriteNumber("existing", outcomes.Count(o => o.Status == Outcome.Existing));
            json.WriteNumber("refused", outcomes.Count(o => o.Status == Outcome.Refused));
            json.WriteNumber("skipped_entries", skippedEntries);
            json.WriteStartArray("documents");
            foreach (var outcome in outcomes)
            {
                json.WriteStartObject();
                json.WriteString("file", outcome.File);
                json.WriteString("status", outcome.Status);
                if (outcome.Invoice is { } invoice)
                {
                    json.WritePropertyName("invoice");
                    InvoiceResponse.Write(json, invoice);
                }
                if (outcome.Errors is { } errors)
                {
                    ProblemWriter.WriteErrors(json, errors);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Summary(int status, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = InvoiceResponse.JsonContentType;
            httpContext.Response.ContentLength = body.Length;
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
