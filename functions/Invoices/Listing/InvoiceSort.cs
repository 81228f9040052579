using System.Globalization;
using InvoiceApi.Functions.Api.Json;

namespace Invoices;

/// <summary>The columns a list can be sorted by: an allow-list, so no query parameter ever becomes SQL text.</summary>
internal enum InvoiceSortKey
{
    Date,
    Amount,
    CreatedAt,
    Provider,
}

/// <summary>A list's order: one allowed key, then the id in the same direction, so every row has one place (keyset pagination).</summary>
internal sealed record InvoiceSort(InvoiceSortKey Key, bool Descending)
{
    internal static readonly InvoiceSort Default = new(InvoiceSortKey.Date, Descending: true);

    internal static readonly IReadOnlyDictionary<string, InvoiceSortKey> Names = new Dictionary<string, InvoiceSortKey>(StringComparer.Ordinal)
    {
        ["date"] = InvoiceSortKey.Date,
        ["amount"] = InvoiceSortKey.Amount,
        ["created_at"] = InvoiceSortKey.CreatedAt,
        ["provider"] = InvoiceSortKey.Provider,
    };

    /// <summary>The sort expression; each matches the leading columns of an index on (account_id, key, id).</summary>
    internal string Column => Key switch
    {
        InvoiceSortKey.Amount => "amount",
        InvoiceSortKey.CreatedAt => "created_at",
        InvoiceSortKey.Provider => "lower(provider)",
        _ => "date",
    };

    /// <summary>The cursor's key value (text) converted back to the column's type inside SQL.</summary>
    internal string CursorValue => Key switch
    {
        InvoiceSortKey.Amount => "@AfterValue::numeric",
        InvoiceSortKey.CreatedAt => "@AfterValue::timestamptz",
        InvoiceSortKey.Provider => "lower(@AfterValue::text)",
        _ => "@AfterValue::date",
    };

    internal string Name => Names.First(pair => pair.Value == Key).Key;

    /// <summary>
    /// Whether <paramref name="key"/> is a sort key this order could have written (<see cref="KeyOf"/>): the built-in
    /// cursor key is public, so a forged cursor must still not reach SQL with a value its cast would reject.
    /// </summary>
    internal bool AcceptsKey(string key) => Key switch
    {
        InvoiceSortKey.Amount => decimal.TryParse(key, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
        InvoiceSortKey.CreatedAt => DateTime.TryParseExact(key, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        InvoiceSortKey.Provider => !key.Contains('\0', StringComparison.Ordinal),
        _ => DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
    };

    internal string Order => Descending ? "desc" : "asc";

    /// <summary>The last row's sort key as text, exact: a timestamp keeps its microseconds, an amount its cents.</summary>
    internal string KeyOf(InvoiceRow row) => Key switch
    {
        InvoiceSortKey.Amount => row.Amount.ToString(CultureInfo.InvariantCulture),
        InvoiceSortKey.CreatedAt => InvoiceFormats.Timestamp(row.CreatedAt),
        InvoiceSortKey.Provider => row.Provider,
        _ => ApiJson.Date(row.Date),
    };
}
