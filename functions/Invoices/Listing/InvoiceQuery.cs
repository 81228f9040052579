using System.Text;
using InvoiceApi.Data;
using Npgsql;

namespace Invoices;

/// <summary>
/// The SELECT behind a list page and an export: only the conditions a filter sets, the caller's own rows unless an
/// admin asks for all, ordered by (key, id) with a keyset condition after the cursor's row, so a page costs the same at
/// any depth and the (account_id, key, id) indexes serve it. Every value is a parameter; column names come from allow-lists.
/// </summary>
/// <remarks>
/// A plain <see cref="NpgsqlCommand"/> rather than Dapper: Dapper.AOT cannot pass a cancellation token with SQL composed
/// at run time (its generated code does not compile), and a list or an export must stop when the client goes away.
/// </remarks>
internal static class InvoiceQuery
{
    private static readonly string SearchText = TextFold.Sql("concat_ws(' ', provider, number, description, category)");

    /// <summary>
    /// The command for one page (<paramref name="limit"/>) or, with no limit, every matching row, after the read's scope
    /// (<see cref="ReadOnlyQuery.Scope"/>; with <paramref name="statementTimeout"/>, that limit instead of the pool's).
    /// </summary>
    internal static NpgsqlCommand Command(NpgsqlConnection connection, string accountId, InvoiceFilter filter, InvoiceSort sort,
        DateOnly today, CursorPosition? after, int? limit, TimeSpan? statementTimeout = null)
    {
        var conditions = Conditions(filter, today).ToList();
        if (after is not null)
        {
            conditions.Add(($"({sort.Column}, id) {(sort.Descending ? "<" : ">")} ({sort.CursorValue}, @AfterId)",
                [new NpgsqlParameter<string>("AfterValue", after.Key), new NpgsqlParameter<Guid>("AfterId", after.Id)]));
        }
        var direction = sort.Descending ? "DESC" : "ASC";
        var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.Add(new NpgsqlParameter<string>("accountId", accountId));
        command.Parameters.Add(new NpgsqlParameter<bool>("allAccounts", filter.AllAccounts));
        var sql = new StringBuilder();
        if (statementTimeout is { } timeout)
        {
            sql.Append(ReadOnlyQuery.ScopeWithTimeout);
            command.Parameters.Add(new NpgsqlParameter<int>("statementTimeoutMs", (int)timeout.TotalMilliseconds));
        }
        else
        {
            sql.Append(ReadOnlyQuery.Scope);
        }
        sql.Append($"SELECT {InvoiceRow.Columns}\nFROM invoices\nWHERE true");
        foreach (var (condition, parameters) in conditions)
        {
            sql.Append("\n  AND ").Append(condition);
            command.Parameters.AddRange(parameters);
        }
        sql.Append($"\nORDER BY {sort.Column} {direction}, id {direction}");
        if (limit is { } rows)
        {
            sql.Append("\nLIMIT @Limit");
            command.Parameters.Add(new NpgsqlParameter<int>("Limit", rows));
        }
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// The tax columns an export of <paramref name="filter"/> needs: each scheme and rate that occurs in its invoices'
    /// taxes and withholdings, in a stable order (taxes first, by scheme, then rate). Read before the rows, so the header
    /// names them all; invoices without taxes are skipped by the first condition, which a partial index serves
    /// (invoices_account_taxed_idx, migration 0011).
    /// </summary>
    internal static async Task<IReadOnlyList<TaxColumn>> TaxColumnsAsync(NpgsqlConnection connection, string accountId, InvoiceFilter filter,
        DateOnly today, TimeSpan statementTimeout, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.Add(new NpgsqlParameter<string>("accountId", accountId));
        command.Parameters.Add(new NpgsqlParameter<bool>("allAccounts", filter.AllAccounts));
        // It reads every exported row, as the export does: the export's time limit, not the pool's.
        command.Parameters.Add(new NpgsqlParameter<int>("statementTimeoutMs", (int)statementTimeout.TotalMilliseconds));
        var sql = new StringBuilder(ReadOnlyQuery.ScopeWithTimeout);
        sql.Append("""
            SELECT DISTINCT l.list, t ->> 'scheme', (t ->> 'rate')::numeric AS rate
            FROM invoices
            CROSS JOIN LATERAL (VALUES ('tax', taxes), ('withholding', withholdings)) AS l (list, items)
            CROSS JOIN LATERAL jsonb_array_elements(l.items) AS t
            WHERE (taxes <> '[]' OR withholdings <> '[]')
            """);
        foreach (var (condition, parameters) in Conditions(filter, today))
        {
            sql.Append("\n  AND ").Append(condition);
            command.Parameters.AddRange(parameters);
        }
        sql.Append("\nORDER BY 1, 2, 3 NULLS FIRST");
        command.CommandText = sql.ToString();
        var columns = new List<TaxColumn>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (list, scheme, rate) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? (decimal?)null : reader.GetDecimal(2));
            columns.Add(new TaxColumn(list, scheme, rate, TaxColumn.Base));
            columns.Add(new TaxColumn(list, scheme, rate, TaxColumn.Amount));
        }
        return columns;
    }

    private static IEnumerable<(string Sql, NpgsqlParameter[] Parameters)> Conditions(InvoiceFilter filter, DateOnly today)
    {
        // The first wall of account isolation; row-level security is the second.
        if (!filter.AllAccounts)
        {
            yield return ("account_id = @accountId", []);
        }
        if (filter.CreatedBy is { } createdBy)
        {
            yield return ("created_by = @CreatedBy", [new NpgsqlParameter<string>("CreatedBy", createdBy)]);
        }
        if (!filter.IncludeArchived)
        {
            yield return ("archived_at IS NULL", []);
        }
        if (filter.DateFrom is { } dateFrom)
        {
            yield return ("date >= @DateFrom", [new NpgsqlParameter<DateOnly>("DateFrom", dateFrom)]);
        }
        if (filter.DateTo is { } dateTo)
        {
            yield return ("date <= @DateTo", [new NpgsqlParameter<DateOnly>("DateTo", dateTo)]);
        }
        if (filter.DueFrom is { } dueFrom)
        {
            yield return ("due_date >= @DueFrom", [new NpgsqlParameter<DateOnly>("DueFrom", dueFrom)]);
        }
        if (filter.DueTo is { } dueTo)
        {
            yield return ("due_date <= @DueTo", [new NpgsqlParameter<DateOnly>("DueTo", dueTo)]);
        }
        if (filter.Provider is { } provider)
        {
            // strpos, not LIKE: a % or _ the user types is a letter, not a wildcard.
            yield return ($"strpos({TextFold.Sql("provider")}, @Provider) > 0", [new NpgsqlParameter<string>("Provider", provider)]);
        }
        if (filter.Nits.Count > 0)
        {
            yield return ("nit = ANY(string_to_array(@Nits, ','))", [new NpgsqlParameter<string>("Nits", string.Join(',', filter.Nits))]);
        }
        if (filter.Statuses.Count > 0)
        {
            // Passed as text and split in SQL: the slim data source (Native AOT) has no array support.
            yield return ("status = ANY(string_to_array(@Statuses, ','))", [new NpgsqlParameter<string>("Statuses", string.Join(',', filter.Statuses))]);
        }
        if (filter.Category is { } category)
        {
            yield return ("lower(category) = lower(@Category)", [new NpgsqlParameter<string>("Category", category)]);
        }
        if (filter.PaymentMethod is { } paymentMethod)
        {
            yield return ("payment_method = @PaymentMethod", [new NpgsqlParameter<string>("PaymentMethod", paymentMethod)]);
        }
        if (filter.Currency is { } currency)
        {
            yield return ("currency = @Currency", [new NpgsqlParameter<string>("Currency", currency)]);
        }
        if (filter.AmountMin is { } amountMin)
        {
            yield return ("amount >= @AmountMin", [new NpgsqlParameter<decimal>("AmountMin", amountMin)]);
        }
        if (filter.AmountMax is { } amountMax)
        {
            yield return ("amount <= @AmountMax", [new NpgsqlParameter<decimal>("AmountMax", amountMax)]);
        }
        if (filter.Words.Count > 0)
        {
            // Every word must appear somewhere: no word may be missing from the folded text.
            yield return ($"NOT EXISTS (SELECT FROM unnest(string_to_array(@Words, ' ')) AS word WHERE strpos({SearchText}, word) = 0)",
                [new NpgsqlParameter<string>("Words", string.Join(' ', filter.Words))]);
        }
        if (filter.Overdue)
        {
            yield return ("status = 'pending' AND due_date < @Today", [new NpgsqlParameter<DateOnly>("Today", today)]);
        }
    }
}
