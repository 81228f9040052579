using System.Text.RegularExpressions;
using InvoiceApi.Functions.Api.Requests;

namespace Stats.Requests;

/// <summary>
/// Which invoices count: one currency or all (each reported on its own), and whether void and archived invoices are
/// added to the figures (design/API.md: left out unless asked for).
/// </summary>
internal sealed partial record StatsFilter(string? Currency, bool IncludeVoid, bool IncludeArchived)
{
    /// <summary>Reads <c>currency</c> (ISO 4217, any case) and <c>include</c> (a comma list of <c>void</c>, <c>archived</c>).</summary>
    internal static StatsFilter Read(QueryReader query)
    {
        var currency = query.Text("currency")?.ToUpperInvariant();
        if (currency is not null && !CurrencyCode().IsMatch(currency))
        {
            query.Fail("currency", "Must be an ISO 4217 code of three letters, such as COP or USD.");
            currency = null;
        }
        bool includeVoid = false, includeArchived = false;
        foreach (var item in (query.Text("include") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (item)
            {
                case "void":
                    includeVoid = true;
                    break;
                case "archived":
                    includeArchived = true;
                    break;
                default:
                    query.Fail("include", $"'{item}' is not something to include; use void, archived or both (include=void,archived).");
                    break;
            }
        }
        return new StatsFilter(currency, includeVoid, includeArchived);
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
