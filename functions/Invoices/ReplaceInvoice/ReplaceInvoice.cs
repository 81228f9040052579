using System.Text.Json;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// PUT /{id}: replaces every writable field with the JSON body (absent optional fields become null, absent currency COP,
/// absent status pending), with If-Match; server-owned fields in the body are ignored. Answers 200 with the invoice.
/// </summary>
internal sealed class ReplaceInvoice(UpdateInvoiceFields update) : IRouteHandler
{
    public Task<IResult> HandleAsync(HttpContext context, RouteMatch route) =>
        update.HandleAsync(context, route.Id, "replace", [JsonBody.Json], (_, body) => JsonDocument.Parse(body.GetRawText()));
}
