using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>One operation of the invoice API; the router has already matched its method and path.</summary>
internal interface IInvoiceOperation
{
    /// <param name="context">The request, with its authenticated caller (<c>context.GetCaller()</c>) except on open paths.</param>
    /// <param name="id">The invoice the path names, or <see cref="Guid.Empty"/> when it names none.</param>
    Task HandleAsync(HttpContext context, Guid id);
}
