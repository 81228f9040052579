using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Invoices;

/// <summary>
/// Which invoices a list or an export holds, already checked and normalized (provider and words folded, NIT in its
/// <c>900123456-8</c> form, statuses sorted): equal filters always give equal SQL and an equal fingerprint.
/// </summary>
internal sealed record InvoiceFilter
{
    public DateOnly? DateFrom { get; init; }

    public DateOnly? DateTo { get; init; }

    public DateOnly? DueFrom { get; init; }

    public DateOnly? DueTo { get; init; }

    /// <summary>Folded (<see cref="TextFold"/>): matched anywhere in the folded provider.</summary>
    public string? Provider { get; init; }

    /// <summary>The NITs a <c>nit</c> filter may mean, normalized (<see cref="global::Invoices.Nit.Readings"/>); empty: any.</summary>
    public IReadOnlyList<string> Nits { get; init; } = [];

    public IReadOnlyList<string> Statuses { get; init; } = [];

    public string? Category { get; init; }

    public string? PaymentMethod { get; init; }

    public string? Currency { get; init; }

    public decimal? AmountMin { get; init; }

    public decimal? AmountMax { get; init; }

    /// <summary>Folded words of <c>q</c>; each must appear in the provider, number, description or category.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    public bool Overdue { get; init; }

    public bool IncludeArchived { get; init; }

    /// <summary>The member who recorded the invoices (<c>created_by</c>, a token's sub); null: anyone.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>An admin's explicit read across accounts (<c>all_accounts=true</c>).</summary>
    public bool AllAccounts { get; init; }

    /// <summary>
    /// A digest of these filters and <paramref name="sort"/>: a cursor carries it, so a cursor reused with other filters
    /// or another order is recognized and refused instead of silently skipping or repeating rows.
    /// </summary>
    internal byte[] Fingerprint(InvoiceSort sort)
    {
        var canonical = string.Join('\u001f',
            Date(DateFrom), Date(DateTo), Date(DueFrom), Date(DueTo), Provider, string.Join(',', Nits), string.Join(',', Statuses), Category?.ToLowerInvariant(),
            PaymentMethod, Currency, Number(AmountMin), Number(AmountMax), string.Join(' ', Words), Overdue, IncludeArchived, CreatedBy, AllAccounts,
            sort.Name, sort.Order);
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical))[..16];
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    // Normalized, so amount_min=10 and amount_min=10.00 are the same filter.
    private static string Number(decimal? number) => number?.ToString("0.############################", CultureInfo.InvariantCulture) ?? "";
}
