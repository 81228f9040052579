using InvoiceApi.Functions.Api.Requests;

namespace Invoices;

/// <summary>An admin's explicit read across accounts, asked for on GET /, GET /{id} and GET /export.csv.</summary>
internal static class AllAccounts
{
    /// <summary>
    /// True for <c>all_accounts=true</c>, or <c>all_callers=true</c>, its name from before accounts, still understood.
    /// Both are read (<c>|</c>, not <c>||</c>) so that neither is reported as an unknown parameter.
    /// </summary>
    internal static bool Read(QueryReader reader) => reader.Flag("all_accounts") | reader.Flag("all_callers");
}
