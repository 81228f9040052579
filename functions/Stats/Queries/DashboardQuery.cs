using System.Text;
using Npgsql;
using Stats.Model;
using Stats.Requests;

namespace Stats.Queries;

/// <summary>One row of the dashboard statement: which figure (<see cref="Part"/>) and its currency, key and sums.</summary>
internal sealed class DashboardRow
{
    /// <summary>status, category, payment_method, provider, previous or overdue.</summary>
    public required string Part { get; init; }

    public required string Currency { get; init; }

    public required string Key { get; init; }

    public string? Label { get; init; }

    public string? Nit { get; init; }

    public DateOnly? LastInvoiceDate { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Total { get; init; }
}

/// <summary>
/// Every dashboard figure in one statement (one round trip, one snapshot): statuses, categories, payment methods and
/// top providers (with last date, name and NIT) in the period, totals of the previous one, and the overdue figures.
/// <para>
/// The default view (no void, no archived) reads invoice_live_rollups, whose keys carry neither; include=void or
/// archived reads invoice_rollups (migration 0004) with those filters. Overdue always reads invoice_overdue_rollups
/// (migration 0005). The statement has one index range per non-empty <see cref="RollupPiece"/>; its text depends only
/// on which pieces a window has and on the filter, so a handful of texts are prepared once per connection.
/// </para>
/// </summary>
internal static class DashboardQuery
{
    internal static async Task<List<DashboardRow>> ReadAsync(NpgsqlConnection connection, string userId, DateWindow window, DateWindow previous,
        StatsFilter filter, int top, DateOnly today, CancellationToken cancellationToken)
    {
        var parameters = new PositionalParameters();
        var sql = Build(parameters, userId, window, previous, filter, top, today);
        await using var command = parameters.Command(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<DashboardRow>(128);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DashboardRow
            {
                Part = reader.GetString(0),
                Currency = reader.GetString(1),
                Key = reader.GetString(2),
                Label = reader.IsDBNull(3) ? null : reader.GetString(3),
                Nit = reader.IsDBNull(4) ? null : reader.GetString(4),
                LastInvoiceDate = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                InvoiceCount = reader.GetInt64(6),
                Total = reader.GetDecimal(7),
            });
        }
        return rows;
    }

    internal static string Build(PositionalParameters parameters, string userId, DateWindow window, DateWindow previous, StatsFilter filter,
        int top, DateOnly today)
    {
        var user = parameters.Add(userId);
        var from = parameters.Add(window.From);
        var to = parameters.Add(window.To);
        var source = filter.IncludeVoid || filter.IncludeArchived ? RollupSource.All(filter) : RollupSource.LiveView;
        var currency = filter.Currency is null ? "" : $" AND currency = {parameters.Add(filter.Currency)}";
        var current = Ranges(RollupPiece.Of(window), piece => source.Branch(user, piece, parameters.Add(piece.First), parameters.Add(piece.Last), currency));
        var before = Ranges(RollupPiece.Of(previous), piece => source.PreviousBranch(user, piece, parameters.Add(piece.First), parameters.Add(piece.Last), currency));
        var overdue = OverdueSql.Branches(parameters, user, window, today, filter.IncludeArchived, currency);
        return $"""
            WITH wanted AS MATERIALIZED (
                {current}
            ), providers AS (
                SELECT currency, value AS key, sum(invoice_count) AS invoice_count, sum(total) AS total,
                       row_number() OVER (PARTITION BY currency ORDER BY sum(total) DESC, value) AS rank
                FROM wanted
                WHERE dimension = 'provider'
                GROUP BY currency, value
                HAVING sum(invoice_count) > 0
            ), parts AS (
                SELECT dimension AS part, currency, value AS key, {RollupSql.LatestLabel} AS label, NULL::text AS nit, NULL::date AS last_invoice_date,
                       sum(invoice_count) AS invoice_count, sum(total) AS total
                FROM wanted
                WHERE dimension <> 'provider'
                GROUP BY dimension, currency, value
                HAVING sum(invoice_count) > 0
                UNION ALL
                SELECT 'previous', currency, '', NULL, NULL, NULL, sum(invoice_count), sum(total)
                FROM ({before}) AS r
                GROUP BY currency
                HAVING sum(invoice_count) > 0
                UNION ALL
                SELECT 'provider', p.currency, p.key, coalesce(last.label, p.key),
                       (SELECT m.nit FROM invoice_rollups AS m
                        WHERE m.user_id = {user} AND m.dimension = 'provider' AND m.value = p.key AND m.currency = p.currency
                          AND m.grain = 'month' AND m.period >= date_trunc('month', {from}::timestamp)::date AND m.period <= {to}
                          AND m.nit <> '' AND m.invoice_count > 0{source.KeptIn("m.")}
                        ORDER BY m.period DESC LIMIT 1),
                       last.period, p.invoice_count, p.total
                FROM providers AS p
                LEFT JOIN LATERAL ({source.LastDay(user, from, to)}) AS last ON true
                WHERE p.rank <= {parameters.Add(top)}
                UNION ALL
                SELECT 'overdue', currency, '', NULL, NULL, NULL, sum(invoice_count), sum(total)
                FROM ({overdue}) AS o
                GROUP BY currency
                HAVING sum(invoice_count) > 0
            )
            SELECT part, currency, key, label, nit, last_invoice_date, invoice_count::bigint, total FROM parts
            ORDER BY part, currency, total DESC, key
            """;
    }

    private static string Ranges(List<RollupPiece> pieces, Func<RollupPiece, string> branch)
    {
        var sql = new StringBuilder();
        foreach (var piece in pieces)
        {
            sql.Append(sql.Length == 0 ? "" : "\n    UNION ALL\n    ").Append(branch(piece));
        }
        return sql.ToString();
    }

    /// <summary>Where the period's figures come from, as rows of (dimension, sign, period, currency, value, label, invoice_count, total; subtracted pieces negative).</summary>
    private sealed record RollupSource(string Table, string Dimensions, string Dimension, string Value, string PreviousDimension, StatsFilter Kept,
        bool IsLive)
    {
        /// <summary>invoice_live_rollups: the default view (no void, no archived), whose keys need no such filter.</summary>
        internal static readonly RollupSource LiveView = new("invoice_live_rollups", "'status', 'category', 'payment_method', 'provider'", "dimension", "value",
            "'status'", new StatsFilter(null, IncludeVoid: false, IncludeArchived: false), IsLive: true);

        /// <summary>invoice_rollups (0004) with the filter's void and archived rule; dimension 'all' answers as 'status'.</summary>
        internal static RollupSource All(StatsFilter filter) => new("invoice_rollups", "'all', 'category', 'payment_method', 'provider'",
            "CASE dimension WHEN 'all' THEN 'status' ELSE dimension END", "CASE dimension WHEN 'all' THEN status ELSE value END",
            "'all'", filter, IsLive: false);

        /// <summary>The void and archived rule on rows of invoice_rollups (0004) under <paramref name="alias"/>.</summary>
        internal string KeptIn(string alias) =>
            (Kept.IncludeVoid ? "" : $" AND {alias}status <> 'void'") + (Kept.IncludeArchived ? "" : $" AND NOT {alias}archived");

        // The live table holds only what the default view keeps: nothing to filter there.
        private string Filter => IsLive ? "" : KeptIn("");

        internal string Branch(string user, RollupPiece piece, string first, string last, string currency) => $"""
            SELECT {Dimension} AS dimension, {piece.Sign} AS sign, period, currency, {Value} AS value, label, {Signed(piece)} FROM {Table}
             WHERE user_id = {user} AND dimension IN ({Dimensions}) AND grain = '{piece.Grain}' AND period BETWEEN {first} AND {last}
               AND invoice_count > 0{currency}{Filter}
            """;

        internal string PreviousBranch(string user, RollupPiece piece, string first, string last, string currency) => $"""
            SELECT currency, {Signed(piece)} FROM {Table}
             WHERE user_id = {user} AND dimension = {PreviousDimension} AND grain = '{piece.Grain}' AND period BETWEEN {first} AND {last}
               AND invoice_count > 0{currency}{Filter}
            """;

        // Subtracted pieces are negated here, so the sums need no multiplication by a sign.
        private static string Signed(RollupPiece piece) =>
            piece.Sign > 0 ? "invoice_count, total" : "-invoice_count AS invoice_count, -total AS total";

        /// <summary>A ranked provider's newest day row in the period (lateral to providers p): its last invoice date and spelling.</summary>
        internal string LastDay(string user, string from, string to) => IsLive
            ? $"""
                SELECT d.period, d.label FROM invoice_live_rollups AS d
                WHERE d.user_id = {user} AND d.dimension = 'provider' AND d.grain = 'day' AND d.value = p.key AND d.currency = p.currency
                  AND d.period BETWEEN {from} AND {to} AND d.invoice_count > 0
                ORDER BY d.period DESC LIMIT 1
                """
            : $"""
                SELECT d.period, d.label FROM invoice_rollups AS d
                WHERE d.user_id = {user} AND d.dimension = 'provider' AND d.value = p.key AND d.currency = p.currency
                  AND d.grain = 'day' AND d.period BETWEEN {from} AND {to} AND d.invoice_count > 0{KeptIn("d.")}
                ORDER BY d.period DESC LIMIT 1
                """;
    }
}
