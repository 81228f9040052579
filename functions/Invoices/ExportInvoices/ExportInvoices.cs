using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Invoices;

/// <summary>
/// GET /export.csv — every invoice the same filters and order as <c>GET /</c> select (no page limit), streamed as UTF-8
/// CSV while it is read: memory stays constant whatever the size. A failure before the first byte is a problem; after
/// it, the connection is cut (the middleware's rule), so a truncated file never looks complete.
/// </summary>
internal sealed class ExportInvoices(ReadOnlyQuery reads, TimeProvider clock) : IRouteHandler
{
    private const int FlushThreshold = 64 * 1024;

    // The SELECT runs as long as the client reads: the pool's 15 s statement limit would cut a large export, so this
    // read gets Cloud Run's default request timeout instead.
    private static readonly TimeSpan StatementTimeout = TimeSpan.FromMinutes(5);

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var (request, scope, problem) = InvoiceListing.Prepare(context, paged: false, clock);
        if (problem is not null)
        {
            return problem;
        }
        // Streamed while the rows are read, so there is nothing left to write after it.
        await reads.StreamAsync(scope, (connection, cancellationToken) =>
            StreamAsync(context, connection, scope.AccountId, request, cancellationToken), context.RequestAborted);
        return Results.Empty;
    }

    private static async Task<int> StreamAsync(HttpContext context, NpgsqlConnection connection, string accountId, InvoiceListRequest request,
        CancellationToken cancellationToken)
    {
        var taxColumns = await InvoiceQuery.TaxColumnsAsync(connection, accountId, request.Filter, request.Today, StatementTimeout, cancellationToken);
        await using var command = InvoiceQuery.Command(connection, accountId, request.Filter, request.Sort, request.Today, after: null, limit: null,
            statementTimeout: StatementTimeout);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        StartResponse(context.Response);
        var body = context.Response.BodyWriter;
        var pending = InvoiceCsv.WriteHeader(body, taxColumns);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            pending += InvoiceCsv.WriteRow(body, InvoiceRow.Read(reader), taxColumns);
            rows++;
            if (pending >= FlushThreshold)
            {
                // Waits while the client is slower than the database: the pipe's back-pressure keeps memory bounded.
                await body.FlushAsync(cancellationToken);
                pending = 0;
            }
        }
        await body.FlushAsync(cancellationToken);
        return rows;
    }

    private static void StartResponse(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=\"invoices.csv\"";
    }
}
