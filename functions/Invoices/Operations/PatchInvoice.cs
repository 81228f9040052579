using Invoices.Input;
using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>
/// PATCH /{id}: a JSON merge patch (RFC 7396; application/merge-patch+json or application/json) with If-Match. Null
/// clears an optional field and is a 422 on a required one or one with a default (currency, status); ocr_data merges
/// member by member. paid_at is kept while the invoice stays paid unless the patch sets it. Answers 200 with the invoice.
/// </summary>
internal sealed class PatchInvoice(InvoiceChange change) : IInvoiceOperation
{
    // paid_at follows the status unless the patch names it: a stored date must not block "status": "pending".
    private static readonly IReadOnlySet<string> ServerTracked = new HashSet<string>(StringComparer.Ordinal) { InvoiceFields.PaidAt };

    // Removing these would put their default in silently; their null goes to the reader, which refuses it.
    private static readonly IReadOnlySet<string> NotClearable = new HashSet<string>(StringComparer.Ordinal) { InvoiceFields.Currency, InvoiceFields.Status };

    public Task HandleAsync(HttpContext context, Guid id) =>
        change.HandleAsync(context, id, [JsonBody.MergePatchJson, JsonBody.Json], (current, patch) =>
        {
            using var stored = InvoiceChange.Representation(current);
            return JsonMergePatch.Apply(stored.RootElement, patch, ServerTracked, NotClearable);
        });
}
