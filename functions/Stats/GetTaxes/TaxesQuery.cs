using Dapper;
using InvoiceApi.Data;
using Npgsql;

namespace Stats;

/// <summary>
/// A year's taxes and withholdings from invoice_tax_rollups (migration 0012) at month grain, summed into declaration
/// periods of <see cref="TaxesRequest.MonthsPerPeriod"/> months: per currency, period and (kind, scheme, rate), the
/// invoices carrying the key, the bases and the amounts, with the scheme's name as most recently written. Twelve months
/// of a few keys each, read index-only, whatever the number of invoices.
/// </summary>
internal static class TaxesQuery
{
    // A key has a row per write slot (migration 0010), some negative: the period's sums are what count, and a key
    // emptied by later changes (count 0) never shows.
    internal static async Task<List<TaxTotal>> ReadAsync(NpgsqlConnection connection, string accountId, TaxesRequest request, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<TaxTotal>($"""
            {ReadOnlyQuery.Scope}SELECT currency, 1 + (extract(month FROM period)::integer - 1) / @monthsPerPeriod AS period_number,
                   kind, scheme, rate,
                   (array_agg(name ORDER BY period DESC, invoice_count DESC) FILTER (WHERE name IS NOT NULL AND invoice_count > 0))[1] AS name,
                   sum(invoice_count)::bigint AS invoice_count, sum(base) AS base, sum(amount) AS amount
            FROM invoice_tax_rollups
            WHERE account_id = @accountId AND grain = 'month' AND period BETWEEN @firstMonth AND @lastMonth
            GROUP BY 1, 2, 3, 4, 5
            HAVING sum(invoice_count) > 0
            """,
            new
            {
                accountId, allAccounts = false, monthsPerPeriod = request.MonthsPerPeriod,
                firstMonth = new DateOnly(request.Year, 1, 1), lastMonth = new DateOnly(request.Year, 12, 1), cancellationToken,
            })).ToList();
}

/// <summary>
/// One key's figures in one declaration period of one currency: <see cref="Kind"/> is <c>tax</c> or <c>withholding</c>,
/// <see cref="Rate"/> the rate as written ('' for a per-unit tax), <see cref="InvoiceCount"/> the invoices (and notes)
/// carrying a line of it.
/// </summary>
internal sealed class TaxTotal
{
    public required string Currency { get; init; }

    /// <summary>1 for the year's first period (January–February or January–April).</summary>
    public int PeriodNumber { get; init; }

    public required string Kind { get; init; }

    public required string Scheme { get; init; }

    public required string Rate { get; init; }

    public string? Name { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Base { get; init; }

    public decimal Amount { get; init; }
}
