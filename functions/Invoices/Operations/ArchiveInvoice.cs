using InvoiceApi.Data.Scoping;
using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>
/// DELETE /{id}: archives the invoice (sets archived_at, version +1) with If-Match; it leaves lists unless asked for and
/// can be restored. Answers 200 with the archived invoice and its new ETag; archiving an archived invoice changes nothing.
/// </summary>
internal sealed class ArchiveInvoice(CallerTransaction transactions) : IInvoiceOperation
{
    public Task HandleAsync(HttpContext context, Guid id) =>
        ArchiveState.HandleAsync(context, id, transactions, archive: true, ifMatchRequired: true);
}
