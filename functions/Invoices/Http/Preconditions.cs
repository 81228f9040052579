using InvoiceApi.Functions.Api.Problems;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Http;

/// <summary>If-Match on the routes that change an invoice: 428 when it is required and missing, 400 when malformed.</summary>
internal static class Preconditions
{
    internal static (InvoiceETag IfMatch, Problem? Problem) ReadIfMatch(HttpRequest request, bool required)
    {
        var ifMatch = InvoiceETag.IfMatch(request);
        Problem? problem = ifMatch.Malformed ? InvoiceStateProblems.BadETag("If-Match")
            : required && !ifMatch.Present ? InvoiceStateProblems.PreconditionRequired()
            : null;
        return (ifMatch, problem);
    }

    /// <summary>412 unless the invoice's current version satisfies If-Match (an absent, optional If-Match is satisfied).</summary>
    internal static Problem? Check(InvoiceETag ifMatch, Guid id, int currentVersion) =>
        !ifMatch.Present || ifMatch.MatchesStrongly(currentVersion) ? null : InvoiceStateProblems.PreconditionFailed(id, currentVersion);
}
