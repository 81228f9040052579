using Stats.Periods;

namespace Stats.Rollups;

/// <summary>
/// A <see cref="DateWindow"/>'s taxes and withholdings from invoice_tax_rollups (migration 0012), which holds months and
/// days only: the window's whole months as one month-grain range, plus or minus its edge days. Like the live view it
/// counts only invoices that are neither void nor archived, whatever the caller's include says: a void invoice owes no tax.
/// </summary>
internal static class TaxWindow
{
    /// <summary>
    /// The account's rows in <paramref name="window"/> as (currency, kind, amount), subtracted days negated, to be summed
    /// per currency and kind (the rows of a key are one per write slot, some negative). <paramref name="currency"/> is
    /// the filter's <see cref="RollupSource.CurrencyCondition"/>.
    /// </summary>
    internal static string Amounts(PositionalParameters parameters, string account, DateWindow window, string currency)
    {
        var branches = new List<string>(5);
        if (window.MonthFrom < window.MonthTo)
        {
            branches.Add(Branch(parameters, account, new RollupPiece(1, "month", window.MonthFrom, window.MonthTo.AddMonths(-1)), currency));
        }
        branches.AddRange(RollupPiece.DaysOf(window).Select(days => Branch(parameters, account, days, currency)));
        // Every non-empty window has months or edge days; an empty list would still be valid SQL.
        return branches.Count == 0
            ? "SELECT ''::text AS currency, ''::text AS kind, 0::numeric AS amount WHERE false"
            : string.Join("\n    UNION ALL\n    ", branches);
    }

    private static string Branch(PositionalParameters parameters, string account, RollupPiece piece, string currency) => $"""
        SELECT currency, kind, {(piece.Sign > 0 ? "amount" : "-amount AS amount")} FROM invoice_tax_rollups
         WHERE account_id = {account} AND grain = '{piece.Grain}' AND period BETWEEN {parameters.Add(piece.First)} AND {parameters.Add(piece.Last)}{currency}
        """;
}
