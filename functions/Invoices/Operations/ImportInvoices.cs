using System.Text.Json;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Limits;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Invoices.Data;
using Invoices.Http;
using Invoices.Import;
using Invoices.Input;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;
using static Invoices.Data.IdempotencyKeys;

namespace Invoices.Operations;

/// <summary>
/// POST /import — up to 10,000 invoices at once, as a JSON array or CSV, all or nothing: every row is read and validated
/// first (any failure is a 422 naming the rows and fields, and nothing is written), then all are written in one
/// transaction with a binary COPY. Answers 201 with the count and the new ids in row order. An Idempotency-Key works as
/// on POST /: a retry with the same body gets the first answer (Idempotency-Replayed: true) and imports nothing again.
/// </summary>
internal sealed class ImportInvoices(CallerTransaction writes, InvoiceDraftValidator validator, TimeProvider clock) : IInvoiceOperation
{
    private sealed record Request(string UserId, IReadOnlyList<InvoiceValues> Invoices, string? IdempotencyKey, string RequestHash);

    public async Task HandleAsync(HttpContext context, Guid id)
    {
        var (request, problem) = await ReadAsync(context);
        var outcome = problem is null ? await RunAsync(request!, context.RequestAborted) : new IdempotentOutcome(null, false, problem);
        if (outcome.Problem is not null)
        {
            await ProblemWriter.WriteAsync(context, outcome.Problem);
            return;
        }
        if (outcome.Replayed)
        {
            context.Response.Headers[IdempotencyKeyHeader.ReplayedHeader] = "true";
        }
        context.Response.StatusCode = outcome.Response!.ResponseStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(outcome.Response.ResponseBody, context.RequestAborted);
    }

    private async Task<(Request? Request, Problem? Problem)> ReadAsync(HttpContext context)
    {
        var key = IdempotencyKeyHeader.Read(context.Request, out var badKey);
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (badKey || unexpected.Count > 0)
        {
            return (null, badKey ? InvoiceStateProblems.BadIdempotencyKey() : InvoiceProblems.BadQuery(unexpected));
        }
        // An import's body may be up to 10 MiB (design/API.md); every other request keeps the host's 1 MiB.
        RequestBodyLimit.Allow(context, RequestBodyLimit.ImportBytes);
        var (drafts, bytes, problem) = await InvoiceImportReader.ReadAsync(context.Request, validator, context.RequestAborted);
        if (problem is not null)
        {
            return (null, problem);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var invoices = drafts.Select(draft => InvoiceValues.FromValidDraft(draft, today)).ToList();
        return (new Request(context.GetCaller().UserId, invoices, key, IdempotencyKeyHeader.RequestHash(context.Request, bytes)), null);
    }

    private Task<IdempotentOutcome> RunAsync(Request request, CancellationToken cancellationToken) =>
        IdempotentWrite.RunAsync(writes, request.UserId, request.IdempotencyKey, request.RequestHash, async (connection, transaction, token) =>
        {
            var ids = await InvoiceImportWriter.WriteAsync(connection, transaction, request.UserId, request.Invoices, token);
            return new StoredResponse(request.RequestHash, StatusCodes.Status201Created, null, null, Serialize(ids));
        }, cancellationToken);

    private static byte[] Serialize(IReadOnlyList<Guid> ids)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("imported", ids.Count);
            json.WriteStartArray("ids");
            foreach (var id in ids)
            {
                json.WriteStringValue(id);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
