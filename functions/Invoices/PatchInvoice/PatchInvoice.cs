using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// PATCH /{id}: a JSON merge patch (RFC 7396; application/merge-patch+json or application/json) with If-Match. Null
/// clears an optional field and is a 422 on a required one or one with a default (currency, status); ocr_data merges
/// member by member. paid_at is kept while the invoice stays paid unless the patch sets it. Answers 200 with the invoice.
/// </summary>
internal sealed class PatchInvoice(UpdateInvoiceFields update) : IRouteHandler
{
    // paid_at follows the status unless the patch names it: a stored date must not block "status": "pending". payable
    // follows amount and withholdings likewise: the stored one must not block a patch of either.
    private static readonly IReadOnlySet<string> ServerTracked = new HashSet<string>(StringComparer.Ordinal) { InvoiceFields.PaidAt, InvoiceFields.Payable };

    // Removing these would put their default in silently; their null goes to the reader, which refuses it.
    private static readonly IReadOnlySet<string> NotClearable = new HashSet<string>(StringComparer.Ordinal) { InvoiceFields.Currency, InvoiceFields.Status, InvoiceFields.Kind };

    public Task<IResult> HandleAsync(HttpContext context, RouteMatch route) =>
        update.HandleAsync(context, route.Id, "patch", [JsonBody.MergePatchJson, JsonBody.Json], (current, patch) =>
        {
            using var stored = UpdateInvoiceFields.Representation(current);
            return JsonMergePatch.Apply(stored.RootElement, patch, ServerTracked, NotClearable);
        });
}
