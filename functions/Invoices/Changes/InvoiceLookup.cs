using Dapper;
using Npgsql;

namespace Invoices;

/// <summary>The one-invoice read that the changing operations share; each filters by the caller in SQL (row-level security is the second wall).</summary>
internal static class InvoiceLookup
{
    /// <summary>The caller's invoice <paramref name="id"/>, locked until the transaction ends (concurrent changes queue behind it), or null.</summary>
    internal static Task<InvoiceRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string accountId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<InvoiceRow>(
            $"SELECT {InvoiceRow.Columns} FROM invoices WHERE id = @id AND account_id = @accountId FOR UPDATE",
            new { id, accountId, cancellationToken }, transaction);

    /// <summary>The account's invoice with this CUFE (or a note's CUDE), or null.</summary>
    internal static Task<InvoiceRow?> ByCufeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId, string cufe, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<InvoiceRow>(
            $"SELECT {InvoiceRow.Columns} FROM invoices WHERE account_id = @accountId AND cufe = @cufe",
            new { accountId, cufe, cancellationToken }, transaction);
}
