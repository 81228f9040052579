using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// POST /{id}/restore: brings an archived invoice back (clears archived_at, version +1). If-Match is optional here (a
/// restore overwrites no field) and honoured when sent. Answers 200 with the invoice and its ETag; restoring a live
/// invoice changes nothing. A body, if any, is ignored.
/// </summary>
internal sealed class RestoreInvoice(CallerTransaction transactions) : IRouteHandler
{
    public Task<IResult> HandleAsync(HttpContext context, RouteMatch route) =>
        SetArchived.HandleAsync(context, route.Id, transactions, archive: false, ifMatchRequired: false);
}
