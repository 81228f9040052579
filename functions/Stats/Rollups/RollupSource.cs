using System.Text;
using Stats.Periods;

namespace Stats.Rollups;

/// <summary>
/// Where a period's figures are read from, and the window SQL every figure shares: one index range per non-empty
/// <see cref="RollupPiece"/> of a <see cref="DateWindow"/>, joined with UNION ALL. The default view (no void, no archived)
/// reads invoice_live_rollups (migration 0005), whose keys carry neither; include=void or archived reads invoice_rollups
/// (migration 0004) with the filter's rule. A statement's text depends only on which pieces a window has and on the
/// filter, so a handful of texts are prepared once per connection (the pool prepares statements it sees again, DataSourceFactory).
/// </summary>
internal sealed record RollupSource(string Table, string StatusDimension, string Dimension, string Value, StatsFilter Kept, bool IsLive)
{
    /// <summary>invoice_live_rollups: the default view (no void, no archived), whose keys need no such filter.</summary>
    internal static readonly RollupSource LiveView = new("invoice_live_rollups", "status", "dimension", "value",
        new StatsFilter(null, IncludeVoid: false, IncludeArchived: false), IsLive: true);

    /// <summary>The source of <paramref name="filter"/>'s figures: the live view unless void or archived invoices count too.</summary>
    internal static RollupSource For(StatsFilter filter) => filter.IncludeVoid || filter.IncludeArchived ? All(filter) : LiveView;

    /// <summary>invoice_rollups (0004) with the filter's void and archived rule; dimension 'all' answers as 'status'.</summary>
    private static RollupSource All(StatsFilter filter) => new("invoice_rollups", "all",
        "CASE dimension WHEN 'all' THEN 'status' ELSE dimension END", "CASE dimension WHEN 'all' THEN status ELSE value END", filter, IsLive: false);

    /// <summary>
    /// The account's rows of <paramref name="dimensions"/> (status, category, payment_method, provider) in
    /// <paramref name="window"/> as (dimension, sign, period, currency, value, label, invoice_count, total), subtracted
    /// pieces negated so the sums need no sign. A key's rows are one per write slot (migration 0010), some of them
    /// negative: only their sum means anything, so nothing is filtered per row. <paramref name="currency"/> is the
    /// filter's <see cref="CurrencyCondition"/>.
    /// </summary>
    internal string Rows(PositionalParameters parameters, string account, DateWindow window, string currency, params string[] dimensions)
    {
        var wanted = string.Join(", ", dimensions.Select(d => $"'{(d == "status" ? StatusDimension : d)}'"));
        return Union(window, piece => $"""
            SELECT {Dimension} AS dimension, {piece.Sign} AS sign, period, currency, {Value} AS value, label, {Signed(piece)} FROM {Table}
             WHERE account_id = {account} AND dimension IN ({wanted}) AND grain = '{piece.Grain}' AND period BETWEEN {parameters.Add(piece.First)} AND {parameters.Add(piece.Last)}{currency}{Filter}
            """);
    }

    /// <summary>The account's totals per currency in <paramref name="window"/> as (currency, invoice_count, total), to be summed.</summary>
    internal string Totals(PositionalParameters parameters, string account, DateWindow window, string currency) => Union(window, piece => $"""
        SELECT currency, {Signed(piece)} FROM {Table}
         WHERE account_id = {account} AND dimension = '{StatusDimension}' AND grain = '{piece.Grain}' AND period BETWEEN {parameters.Add(piece.First)} AND {parameters.Add(piece.Last)}{currency}{Filter}
        """);

    /// <summary>The condition on the filter's currency, "" for all of them.</summary>
    internal static string CurrencyCondition(PositionalParameters parameters, StatsFilter filter) =>
        filter.Currency is null ? "" : $" AND currency = {parameters.Add(filter.Currency)}";

    /// <summary>The void and archived rule on rows of invoice_rollups (0004) under <paramref name="alias"/> (with its dot).</summary>
    internal string KeptIn(string alias) =>
        (Kept.IncludeVoid ? "" : $" AND {alias}status <> 'void'") + (Kept.IncludeArchived ? "" : $" AND NOT {alias}archived");

    // The live table holds only what the default view keeps: nothing to filter there.
    private string Filter => IsLive ? "" : KeptIn("");

    // Subtracted pieces are negated here, so the sums need no multiplication by a sign.
    private static string Signed(RollupPiece piece) =>
        piece.Sign > 0 ? "invoice_count, total" : "-invoice_count AS invoice_count, -total AS total";

    private static string Union(DateWindow window, Func<RollupPiece, string> branch)
    {
        var sql = new StringBuilder();
        foreach (var piece in RollupPiece.Of(window))
        {
            sql.Append(sql.Length == 0 ? "" : "\n    UNION ALL\n    ").Append(branch(piece));
        }
        return sql.ToString();
    }
}
