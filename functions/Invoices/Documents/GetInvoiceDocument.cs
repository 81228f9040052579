using Dapper;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// GET /{id}/document.xml: the original XML of an invoice that came in as a DIAN document, byte for byte as it was
/// received (its SHA-256 is the invoice's document_sha256). 404 for an invoice without one, or another account's.
/// </summary>
internal sealed class GetInvoiceDocument(ReadOnlyQuery reads) : IRouteHandler
{
    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (unexpected.Count > 0)
        {
            return InvoiceProblems.BadQuery(unexpected);
        }
        var scope = new DataScope(context.GetCaller().AccountId, false);
        var document = await reads.RunAsync(scope, (connection, cancellationToken) => connection.QuerySingleOrDefaultAsync<DocumentStore.StoredDocument>($"""
            {ReadOnlyQuery.Scope}SELECT d.file_name, d.sha256, d.xml_gzip
            FROM invoice_documents AS d
            JOIN invoices AS i ON i.id = d.invoice_id
            WHERE d.invoice_id = @id AND i.account_id = @accountId
            """, new { id = route.Id, accountId = scope.AccountId, allAccounts = scope.ReadAllAccounts, cancellationToken }), context.RequestAborted);
        if (document is null)
        {
            return new Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Document not found",
                $"There is no invoice {route.Id} that came in as a DIAN document (POST /documents keeps the original XML).");
        }
        return new OriginalXml(document.Xml(), document.Sha256, document.FileName);
    }

    private sealed class OriginalXml(byte[] xml, string sha256, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/xml";
            response.Headers.ETag = $"\"{sha256}\"";
            response.Headers.CacheControl = "private, no-cache";
            response.Headers.ContentDisposition = $"attachment; filename=\"{SafeName(fileName)}\"";
            response.ContentLength = xml.Length;
            await response.Body.WriteAsync(xml, httpContext.RequestAborted);
        }

        // The header carries a plain ASCII name: the entry's own name without folders, quotes or control characters.
        private static string SafeName(string name)
        {
            var file = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
            var safe = new string(file.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_').ToArray());
            return safe.Length == 0 ? "document.xml" : safe;
        }
    }
}
