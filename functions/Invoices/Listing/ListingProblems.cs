using InvoiceApi.Functions.Hosting.Problems;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Listing;

/// <summary>The problems particular to lists and exports.</summary>
internal static class ListingProblems
{
    internal const string ForbiddenType = ProblemTypes.Prefix + "forbidden";

    /// <summary>403: <c>all_callers=true</c> from a token without the admin role.</summary>
    internal static Problem AllCallersForbidden() =>
        new(StatusCodes.Status403Forbidden, ForbiddenType, "Forbidden",
            "all_callers=true reads every caller's invoices and needs a token with the admin role; leave it out to list your own.");

    /// <summary>400: the cursor is not one this API issued for these filters.</summary>
    internal static Problem BadCursor(string message) =>
        InvoiceProblems.BadQuery(new Dictionary<string, IReadOnlyList<string>> { ["cursor"] = [message] });
}
