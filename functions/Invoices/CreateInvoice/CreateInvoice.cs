using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;
using static Invoices.IdempotencyKeys;

namespace Invoices;

/// <summary>
/// POST /: records one invoice (JSON body, validated) and answers 201 with Location and ETag. With an Idempotency-Key, a
/// retry of the same request gets the first response again (header Idempotency-Replayed: true), another request with
/// the same key gets 422, and a retry while the first is still running waits for it, or gets 409 after 3 s.
/// </summary>
internal sealed class CreateInvoice(CallerTransaction transactions, InvoiceDraftValidator validator, TimeProvider clock) : IRouteHandler
{
    internal sealed record Request(Caller Caller, Guid Id, InvoiceValues Values, string? IdempotencyKey, string RequestHash, string Location);

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var (request, problem) = await ReadAsync(context);
        if (problem is not null)
        {
            return problem;
        }
        var outcome = await RunAsync(request!, context.RequestAborted);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }
        var response = outcome.Response!;
        if (outcome.Replayed)
        {
            context.Response.Headers[IdempotencyKeyHeader.ReplayedHeader] = "true";
        }
        return new InvoiceResponse(response.ResponseStatus, response.ResponseEtag!, response.ResponseBody, response.ResponseLocation);
    }

    private async Task<(Request? Request, Problem? Problem)> ReadAsync(HttpContext context)
    {
        var key = IdempotencyKeyHeader.Read(context.Request, out var badKey);
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (badKey || unexpected.Count > 0)
        {
            return (null, badKey ? IdempotencyProblems.BadIdempotencyKey() : InvoiceProblems.BadQuery(unexpected));
        }
        var body = await JsonBody.ReadAsync(context.Request, [JsonBody.Json], context.RequestAborted);
        using var document = body.Document;
        if (document is null)
        {
            return (null, body.Problem);
        }
        var (draft, invalid) = InvoiceInput.Check(document.RootElement, validator);
        if (invalid is not null)
        {
            return (null, invalid);
        }
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var values = InvoiceValues.FromValidDraft(draft!, CallerClock.Default(clock).Today);
        return (new Request(context.GetCaller(), id, values, key, IdempotencyKeyHeader.RequestHash(context.Request, body.Bytes),
            InvoiceResponse.LocationOf(context.Request, id)), null);
    }

    private Task<IdempotentOutcome> RunAsync(Request request, CancellationToken cancellationToken) =>
        IdempotentWrite.RunAsync(transactions, request.Caller, "create", request.IdempotencyKey, request.RequestHash, async (connection, transaction, token) =>
        {
            var invoice = await InvoiceInsert.InsertAsync(connection, transaction, request.Caller, request.Id, request.Values, origin: null, token);
            if (invoice is null)
            {
                // Only a CUFE the account already has inserts nothing; the exception rolls the write (and its key) back.
                var existing = await InvoiceLookup.ByCufeAsync(connection, transaction, request.Caller.AccountId, request.Values.Cufe!, token);
                throw new DuplicateDocumentException(existing?.Id);
            }
            return new StoredResponse(request.RequestHash, StatusCodes.Status201Created, request.Location, InvoiceETag.For(invoice.Version), InvoiceResponse.Serialize(invoice));
        }, cancellationToken);
}
