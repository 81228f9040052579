using InvoiceApi.Functions.Api.Problems;
using Invoices.Problems;

namespace Invoices.Listing;

/// <summary>The problems particular to lists and exports.</summary>
internal static class ListingProblems
{
    /// <summary>400: the cursor is not one this API issued for these filters.</summary>
    internal static Problem BadCursor(string message) =>
        InvoiceProblems.BadQuery(new Dictionary<string, IReadOnlyList<string>> { ["cursor"] = [message] });
}
