using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Invoices;

/// <summary>
/// GET / — one page of the caller's invoices, filtered and sorted as the query says (newest first by default), with
/// <c>next_cursor</c> and a <c>Link: rel="next"</c> header while more rows follow.
/// </summary>
internal sealed class ListInvoices(ReadOnlyQuery reads, IConfiguration configuration, TimeProvider clock) : IRouteHandler
{
    private readonly InvoiceCursor _cursors = InvoiceCursor.From(configuration);

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var (request, scope, problem) = InvoiceListing.Prepare(context, paged: true, clock);
        var fingerprint = request.Filter.Fingerprint(request.Sort);
        CursorPosition? after = null;
        if (problem is null && request.Cursor is not null)
        {
            (after, var cursorError) = _cursors.Decode(request.Cursor, fingerprint, request.Sort);
            problem = cursorError is null ? null : BadCursor(cursorError);
        }
        if (problem is not null)
        {
            return problem;
        }
        var rows = await reads.RunAsync(scope, (connection, cancellationToken) =>
            ReadPageAsync(connection, scope.AccountId, request, after, cancellationToken), context.RequestAborted);
        var page = rows.Count > request.Limit ? rows.GetRange(0, request.Limit) : rows;
        var next = rows.Count > request.Limit ? _cursors.Encode(fingerprint, new CursorPosition(request.Sort.KeyOf(page[^1]), page[^1].Id)) : null;
        return new Page(page, next);
    }

    // 400: the cursor is not one this API issued for these filters.
    private static Problem BadCursor(string message) =>
        InvoiceProblems.BadQuery(new Dictionary<string, IReadOnlyList<string>> { ["cursor"] = [message] });

    private static async Task<List<InvoiceRow>> ReadPageAsync(NpgsqlConnection connection, string accountId, InvoiceListRequest request,
        CursorPosition? after, CancellationToken cancellationToken)
    {
        // One row more than the page tells whether another page follows, without a count.
        await using var command = InvoiceQuery.Command(connection, accountId, request.Filter, request.Sort, request.Today, after, request.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<InvoiceRow>(request.Limit + 1);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(InvoiceRow.Read(reader));
        }
        return rows;
    }

    // Hand-written, not serialized: the page is written invoice by invoice into the response's pipe (the benchmark measured it).
    private sealed class Page(List<InvoiceRow> invoices, string? next) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
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
                foreach (var invoice in invoices)
                {
                    InvoiceResponse.Write(json, invoice);
                }
                json.WriteEndArray();
                json.WriteString("next_cursor", next);
                json.WriteEndObject();
            }
            await response.BodyWriter.FlushAsync(context.RequestAborted);
        }
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
