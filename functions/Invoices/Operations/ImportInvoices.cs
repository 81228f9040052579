using System.Text.Json;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Hosting.Auth;
using InvoiceApi.Functions.Hosting.Problems;
using Invoices.Import;
using Invoices.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Invoices.Operations;

/// <summary>
/// POST /import — up to 10,000 invoices at once, as a JSON array or CSV, all or nothing: every row is read and validated
/// first (any failure is a 422 naming the rows and fields, and nothing is written), then all are written in one
/// transaction with a binary COPY. Answers 201 with the count and the new ids in row order.
/// </summary>
internal sealed class ImportInvoices(CallerTransaction writes, InvoiceDraftValidator validator, TimeProvider clock) : IInvoiceOperation
{
    /// <summary>An import's body may be up to 10 MiB (design/API.md); other requests keep the host's 1 MiB.</summary>
    internal const long MaxBodyBytes = 10 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context, Guid id)
    {
        var caller = context.GetCaller();
        AllowImportBody(context);
        var (drafts, problem) = await InvoiceImportReader.ReadAsync(context.Request, validator, context.RequestAborted);
        if (problem is not null)
        {
            await ProblemWriter.WriteAsync(context, problem);
            return;
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var invoices = drafts.Select(draft => InvoiceValues.FromValidDraft(draft, today)).ToList();
        var ids = await writes.RunAsync(caller.UserId, (connection, transaction, cancellationToken) =>
            InvoiceImportWriter.WriteAsync(connection, transaction, caller.UserId, invoices, cancellationToken), context.RequestAborted);
        await WriteCreatedAsync(context, ids);
    }

    // The host's RequestBodyLimit.Allow (branch limits) does the same; until it is on main, the feature is set here.
    private static void AllowImportBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
    }

    private static async Task WriteCreatedAsync(HttpContext context, IReadOnlyList<Guid> ids)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
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
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
