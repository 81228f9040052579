using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// DELETE /{id}: archives the invoice (sets archived_at, version +1) with If-Match; it leaves lists unless asked for and
/// can be restored. Answers 200 with the archived invoice and its new ETag; archiving an archived invoice changes nothing.
/// </summary>
internal sealed class ArchiveInvoice(CallerTransaction transactions) : IRouteHandler
{
    public Task<IResult> HandleAsync(HttpContext context, RouteMatch route) =>
        SetArchived.HandleAsync(context, route.Id, transactions, archive: true, ifMatchRequired: true);
}
