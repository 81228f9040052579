using System.Text.Json.Serialization;
using System.Text.Json;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Limits;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;
using static Invoices.IdempotencyKeys;

namespace Invoices;

/// <summary>
/// POST /import — up to 10,000 invoices at once, as a JSON array or CSV, all or nothing: every row is read and validated
/// first (any failure is a 422 naming the rows and fields, and nothing is written), then all are written in one
/// transaction with a binary COPY. Answers 201 with the count and the new ids in row order. An Idempotency-Key works as
/// on POST /: a retry with the same body gets the first answer (Idempotency-Replayed: true) and imports nothing again.
/// </summary>
internal sealed class ImportInvoices(CallerTransaction writes, InvoiceDraftValidator validator, TimeProvider clock) : IRouteHandler
{
    private sealed record Request(Caller Caller, IReadOnlyList<InvoiceValues> Invoices, string? IdempotencyKey, string RequestHash);

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var (request, problem) = await ReadAsync(context);
        var outcome = problem is null ? await RunAsync(request!, context.RequestAborted) : new IdempotentOutcome(null, false, problem);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }
        if (outcome.Replayed)
        {
            context.Response.Headers[IdempotencyKeyHeader.ReplayedHeader] = "true";
        }
        return new Imported(outcome.Response!.ResponseStatus, outcome.Response.ResponseBody);
    }

    private async Task<(Request? Request, Problem? Problem)> ReadAsync(HttpContext context)
    {
        var key = IdempotencyKeyHeader.Read(context.Request, out var badKey);
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (badKey || unexpected.Count > 0)
        {
            return (null, badKey ? IdempotencyProblems.BadIdempotencyKey() : InvoiceProblems.BadQuery(unexpected));
        }
        // An import's body may be up to 10 MiB (docs/api.md); every other request keeps the host's 1 MiB.
        RequestBodyLimit.Allow(context, RequestBodyLimit.ImportBytes);
        var (drafts, bytes, problem) = await InvoiceImportReader.ReadAsync(context.Request, validator, context.RequestAborted);
        if (problem is not null)
        {
            return (null, problem);
        }
        var today = CallerClock.Default(clock).Today;
        var invoices = drafts.Select(draft => InvoiceValues.FromValidDraft(draft, today)).ToList();
        return (new Request(context.GetCaller(), invoices, key, IdempotencyKeyHeader.RequestHash(context.Request, bytes)), null);
    }

    private Task<IdempotentOutcome> RunAsync(Request request, CancellationToken cancellationToken) =>
        IdempotentWrite.RunAsync(writes, request.Caller, "import", request.IdempotencyKey, request.RequestHash, async (connection, transaction, token) =>
        {
            var ids = await InvoiceImportWriter.WriteAsync(connection, transaction, request.Caller, request.Invoices, token);
            return new StoredResponse(request.RequestHash, StatusCodes.Status201Created, null, null, Serialize(ids));
        }, cancellationToken);

    private static byte[] Serialize(IReadOnlyList<Guid> ids) =>
        JsonSerializer.SerializeToUtf8Bytes(new ImportSummary(ids.Count, ids), ImportJson.Default.ImportSummary);

    /// <summary>The body of a 201: how many invoices were imported and their ids, in row order.</summary>
    internal sealed record ImportSummary(int Imported, IReadOnlyList<Guid> Ids);

    // The stored answer, first or replayed: its bytes exactly as they were first written.
    private sealed class Imported(int status, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}

/// <summary>The import's answer written by System.Text.Json's source generator (no reflection, Native AOT safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ImportInvoices.ImportSummary))]
internal sealed partial class ImportJson : JsonSerializerContext;
