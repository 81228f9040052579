using InvoiceApi.Data.Scoping;
using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>
/// POST /{id}/restore: brings an archived invoice back (clears archived_at, version +1). If-Match is optional here (a
/// restore overwrites no field) and honoured when sent. Answers 200 with the invoice and its ETag; restoring a live
/// invoice changes nothing. A body, if any, is ignored.
/// </summary>
internal sealed class RestoreInvoice(CallerTransaction transactions) : IInvoiceOperation
{
    public Task HandleAsync(HttpContext context, Guid id) =>
        ArchiveState.HandleAsync(context, id, transactions, archive: false, ifMatchRequired: false);
}
