using System.Text.Json;
using Invoices.Input;
using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>
/// PUT /{id}: replaces every writable field with the JSON body (absent optional fields become null, absent currency COP,
/// absent status pending), with If-Match; server-owned fields in the body are ignored. Answers 200 with the invoice.
/// </summary>
internal sealed class ReplaceInvoice(InvoiceChange change) : IInvoiceOperation
{
    public Task HandleAsync(HttpContext context, Guid id) =>
        change.HandleAsync(context, id, [JsonBody.Json], (_, body) => JsonDocument.Parse(body.GetRawText()));
}
