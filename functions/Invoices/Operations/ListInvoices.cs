using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Problems;
using Invoices.Listing;
using Invoices.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace Invoices.Operations;

/// <summary>
/// GET / — one page of the caller's invoices, filtered and sorted as the query says (newest first by default), with
/// <c>next_cursor</c> and a <c>Link: rel="next"</c> header while more rows follow.
/// </summary>
internal sealed class ListInvoices(ReadOnlyQuery reads, IConfiguration configuration, TimeProvider clock) : IInvoiceOperation
{
    private readonly InvoiceCursor _cursors = InvoiceCursor.From(configuration);

    public async Task HandleAsync(HttpContext context, Guid id)
    {
        var (request, scope, problem) = InvoiceListing.Prepare(context, paged: true);
        var fingerprint = request.Filter.Fingerprint(request.Sort);
        CursorPosition? after = null;
        if (problem is null && request.Cursor is not null)
        {
            (after, var cursorError) = _cursors.Decode(request.Cursor, fingerprint, request.Sort);
            problem = cursorError is null ? null : ListingProblems.BadCursor(cursorError);
        }
        if (problem is not null)
        {
            await ProblemWriter.WriteAsync(context, problem);
            return;
        }
        var rows = await reads.RunAsync(scope, (connection, cancellationToken) =>
            ReadPageAsync(connection, scope.UserId, request, after, cancellationToken), context.RequestAborted);
        var page = rows.Count > request.Limit ? rows.GetRange(0, request.Limit) : rows;
        var next = rows.Count > request.Limit ? _cursors.Encode(fingerprint, new CursorPosition(request.Sort.KeyOf(page[^1]), page[^1].Id)) : null;
        await WriteAsync(context, page, next);
    }

    private async Task<List<InvoiceRow>> ReadPageAsync(NpgsqlConnection connection, string userId, InvoiceListRequest request,
        CursorPosition? after, CancellationToken cancellationToken)
    {
        // One row more than the page tells whether another page follows, without a count.
        await using var command = InvoiceQuery.Command(connection, userId, request.Filter, request.Sort, InvoiceListing.Today(clock), after, request.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<InvoiceRow>(request.Limit + 1);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(InvoiceRowReader.Read(reader));
        }
        return rows;
    }

    private static async Task WriteAsync(HttpContext context, List<InvoiceRow> page, string? next)
    {
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        if (next is not null)
        {
            response.Headers.Link = $"<{NextPageUrl(context.Request, next)}>; rel=\"next\"";
        }
        await using (var json = new Utf8JsonWriter(response.BodyWriter, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var invoice in page)
            {
                InvoiceJson.Write(json, invoice);
            }
            json.WriteEndArray();
            json.WriteString("next_cursor", next);
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    // The same path and parameters, with the cursor replaced: a path-absolute reference, right behind any proxy that keeps the path.
    private static string NextPageUrl(HttpRequest request, string cursor)
    {
        var query = request.Query
            .Where(parameter => parameter.Key != "cursor")
            .SelectMany(parameter => parameter.Value.Select(value => Pair(parameter.Key, value ?? "")))
            .Append(Pair("cursor", cursor));
        return $"{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }

    private static string Pair(string name, string value) => $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
}
