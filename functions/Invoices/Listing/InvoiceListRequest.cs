using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// The query string of <c>GET /</c> and <c>GET /export.csv</c>, parsed once for both: filters, order and, for the
/// list only, page size and cursor. <c>tz</c> says which day is today for the <c>overdue</c> filter (<see cref="CallerClock"/>).
/// </summary>
internal sealed record InvoiceListRequest(InvoiceFilter Filter, InvoiceSort Sort, int Limit, string? Cursor, DateOnly Today)
{
    internal const int DefaultLimit = 20;
    internal const int MaxLimit = 100;
    private const int MaxWords = 10;

    private static readonly string[] Orders = ["asc", "desc"];
    private static readonly string[] Includes = ["archived"];

    /// <summary>Parses the query; <paramref name="paged"/> accepts <c>limit</c> and <c>cursor</c> (the list), otherwise they are unknown (the export).</summary>
    internal static (InvoiceListRequest Request, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors) Parse(IQueryCollection query, bool paged, TimeProvider time)
    {
        var reader = new QueryReader(query);
        var clock = CallerClock.Read(reader, time);
        var filter = ReadFilter(reader);
        var sort = ReadSort(reader);
        var limit = paged ? reader.WholeNumber("limit", DefaultLimit, 1, MaxLimit) : 0;
        var cursor = paged ? reader.Text("cursor", maxLength: 1024) : null;
        return (new InvoiceListRequest(filter, sort, limit, cursor, clock.Today), reader.Errors());
    }

    private static InvoiceFilter ReadFilter(QueryReader reader)
    {
        var filter = new InvoiceFilter
        {
            DateFrom = reader.Date("date_from"),
            DateTo = reader.Date("date_to"),
            DueFrom = reader.Date("due_from"),
            DueTo = reader.Date("due_to"),
            Provider = reader.Text("provider") is { } provider ? TextFold.Fold(provider) : null,
            Nits = ReadNit(reader),
            Statuses = reader.List("status", InvoiceDraftValidator.Statuses),
            Category = reader.Text("category", maxLength: 60),
            PaymentMethod = reader.OneOf("payment_method", InvoiceDraftValidator.PaymentMethods),
            Currency = ReadCurrency(reader),
            AmountMin = reader.DecimalNumber("amount_min"),
            AmountMax = reader.DecimalNumber("amount_max"),
            Words = ReadWords(reader),
            Overdue = reader.Flag("overdue"),
            IncludeArchived = reader.OneOf("include", Includes) is not null,
            CreatedBy = reader.Text("created_by", maxLength: 128),
            AllAccounts = AllAccounts.Read(reader),
        };
        CheckRanges(reader, filter);
        return filter;
    }

    private static void CheckRanges(QueryReader reader, InvoiceFilter filter)
    {
        if (filter.DateFrom > filter.DateTo)
        {
            reader.Fail("date_from", "Must not be after date_to.");
        }
        if (filter.DueFrom > filter.DueTo)
        {
            reader.Fail("due_from", "Must not be after due_to.");
        }
        if (filter.AmountMin > filter.AmountMax)
        {
            reader.Fail("amount_min", "Must not be above amount_max.");
        }
    }

    private static IReadOnlyList<string> ReadNit(QueryReader reader)
    {
        var nit = reader.Text("nit", maxLength: 32);
        if (nit is null)
        {
            return [];
        }
        var readings = Nit.Readings(nit);
        if (readings.Count == 0)
        {
            reader.Fail("nit", "Must be a NIT such as 900123456-8, 900.123.456-8 or 900123456, with a correct check digit.");
        }
        return readings;
    }

    private static string? ReadCurrency(QueryReader reader)
    {
        var currency = reader.Text("currency", maxLength: 3)?.ToUpperInvariant();
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            reader.Fail("currency", "Must be an ISO 4217 code such as COP.");
            return null;
        }
        return currency;
    }

    private static string[] ReadWords(QueryReader reader)
    {
        var words = reader.Text("q")?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(TextFold.Fold).Distinct().ToArray() ?? [];
        if (words.Length > MaxWords)
        {
            reader.Fail("q", $"At most {MaxWords} words.");
            return [];
        }
        return words;
    }

    private static InvoiceSort ReadSort(QueryReader reader)
    {
        var key = reader.OneOf("sort", InvoiceSort.Names.Keys.ToArray());
        var order = reader.OneOf("order", Orders);
        return new InvoiceSort(
            key is null ? InvoiceSort.Default.Key : InvoiceSort.Names[key],
            order is null ? InvoiceSort.Default.Descending : order == "desc");
    }
}
