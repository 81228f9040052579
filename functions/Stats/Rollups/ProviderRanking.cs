namespace Stats.Rollups;

/// <summary>
/// The top suppliers per currency by amount, with each one's name and last invoice date (its newest day row in the
/// period) and NIT (its newest month row that has one). <c>/dashboard</c>'s top providers and <c>/providers</c> both
/// rank with this one statement piece over <see cref="RollupSource.Rows"/> of the provider dimension.
/// </summary>
internal static class ProviderRanking
{
    /// <summary>
    /// A SELECT of (currency, key, name, nit, last_invoice_date, invoice_count, total): the first <paramref name="top"/>
    /// suppliers per currency among <paramref name="rows"/> (provider rows of <paramref name="source"/> with currency,
    /// value, invoice_count, total; subtracted ones negative), by total then name. Suppliers are grouped by their
    /// lower-cased name (key) and named as most recently spelled in the period. <paramref name="account"/>,
    /// <paramref name="from"/>, <paramref name="to"/> and <paramref name="top"/> are the placeholders of the account's id,
    /// the period's first and last day and how many per currency.
    /// </summary>
    internal static string Top(RollupSource source, string rows, string account, string from, string to, string top) => $"""
        SELECT p.currency, p.key, coalesce(last.label, p.key) AS name,
               (SELECT m.nit FROM invoice_rollups AS m
                WHERE m.account_id = {account} AND m.dimension = 'provider' AND m.value = p.key AND m.currency = p.currency
                  AND m.grain = 'month' AND m.period >= date_trunc('month', {from}::timestamp)::date AND m.period <= {to}
                  AND m.nit <> ''{source.KeptIn("m.")}
                GROUP BY m.period, m.nit
                HAVING sum(m.invoice_count) > 0
                ORDER BY m.period DESC LIMIT 1) AS nit,
               last.period AS last_invoice_date, p.invoice_count::bigint AS invoice_count, p.total
        FROM (SELECT currency, value AS key, sum(invoice_count) AS invoice_count, sum(total) AS total,
                     row_number() OVER (PARTITION BY currency ORDER BY sum(total) DESC, value) AS rank
              FROM ({rows}) AS r
              GROUP BY currency, value
              HAVING sum(invoice_count) > 0) AS p
        LEFT JOIN LATERAL ({LastDay(source, account, from, to)}) AS last ON true
        WHERE p.rank <= {top}
        """;

    // A ranked provider's newest day in the period that still counts invoices (lateral to p), summed over the day's
    // write slots (migration 0010): its last invoice date and spelling.
    private static string LastDay(RollupSource source, string account, string from, string to) => source.IsLive
        ? $"""
            SELECT d.period, {DayLabel} AS label FROM invoice_live_rollups AS d
            WHERE d.account_id = {account} AND d.dimension = 'provider' AND d.grain = 'day' AND d.value = p.key AND d.currency = p.currency
              AND d.period BETWEEN {from} AND {to}
            GROUP BY d.period
            HAVING sum(d.invoice_count) > 0
            ORDER BY d.period DESC LIMIT 1
            """
        : $"""
            SELECT d.period, {DayLabel} AS label FROM invoice_rollups AS d
            WHERE d.account_id = {account} AND d.dimension = 'provider' AND d.value = p.key AND d.currency = p.currency
              AND d.grain = 'day' AND d.period BETWEEN {from} AND {to}{source.KeptIn("d.")}
            GROUP BY d.period
            HAVING sum(d.invoice_count) > 0
            ORDER BY d.period DESC LIMIT 1
            """;

    private const string DayLabel = "(array_agg(d.label ORDER BY d.invoice_count DESC) FILTER (WHERE d.label IS NOT NULL AND d.invoice_count > 0))[1]";
}

/// <summary>
/// One supplier's figures in a period, as <c>/dashboard</c>'s top providers and <c>/providers</c> write them: the name as
/// most recently spelled, the newest NIT given with it (or null), count, total (<see cref="Figures.Money"/>) and last invoice date.
/// </summary>
internal sealed record ProviderFigures(string Provider, string? Nit, long Count, string Total, DateOnly? LastInvoiceDate);
