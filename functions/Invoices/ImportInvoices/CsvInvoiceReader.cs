using System.Globalization;
using System.Text.Json;

namespace Invoices;

/// <summary>
/// Reads CSV records into <see cref="InvoiceDraft"/>s with the JSON reader's type rules: the header names the API's
/// fields, an empty cell is null, dates are <c>YYYY-MM-DD</c>, amounts decimal text, <c>ocr_data</c> a JSON object.
/// Server-owned columns (an export's id, created_at ...) are accepted and ignored, so an export can be imported again.
/// </summary>
internal sealed class CsvInvoiceReader
{
    private static readonly string[] RequiredColumns = [InvoiceFields.Date, InvoiceFields.Provider, InvoiceFields.Amount, InvoiceFields.Category];
    private readonly string[] _header;

    private CsvInvoiceReader(string[] header) => _header = header;

    /// <summary>A reader for <paramref name="header"/>, or the header's problems (unknown, repeated or missing columns).</summary>
    internal static (CsvInvoiceReader? Reader, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors) ForHeader(string[] header)
    {
        var errors = new FieldErrors();
        var names = header.Select(name => name.Trim()).ToArray();
        foreach (var name in names.Where(name => !IsColumn(name)))
        {
            errors.Add("header", $"Unknown column '{name}'. Columns are the API's field names but taxes and withholdings "
                + $"({string.Join(", ", InvoiceFields.Writable.Except(TaxLists))}), and for taxes one pair per scheme and rate such as "
                + "tax_01_19_base and tax_01_19_amount, withholding_06_2.5_base and withholding_06_2.5_amount.");
        }
        foreach (var name in names.GroupBy(name => name).Where(group => group.Count() > 1).Select(group => group.Key))
        {
            errors.Add("header", $"Column '{name}' appears more than once.");
        }
        foreach (var name in RequiredColumns.Where(name => !names.Contains(name)))
        {
            errors.Add("header", $"Column '{name}' is required.");
        }
        return errors.IsEmpty ? (new CsvInvoiceReader(names), errors.ToDictionary()) : (null, errors.ToDictionary());
    }

    /// <summary>The fields of one record that could be read, and the cells that could not (all at once).</summary>
    internal ImportRow Read(string[] cells)
    {
        var errors = new FieldErrors();
        if (cells.Length != _header.Length)
        {
            errors.Add(InvoiceFields.Body, $"Has {cells.Length} cells; the header has {_header.Length}.");
            return new ImportRow(new InvoiceDraft(), errors.ToDictionary());
        }
        var draft = new InvoiceDraft();
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i].Length > 0)
            {
                draft = ReadCell(draft, _header[i], cells[i], errors);
            }
        }
        return new ImportRow(draft, errors.ToDictionary());
    }

    private static InvoiceDraft ReadCell(InvoiceDraft draft, string name, string cell, FieldErrors errors)
    {
        if (!InvoiceDraftReader.IsStorable(cell))
        {
            errors.Add(name, "Must not contain the NUL character.");
            return draft;
        }
        return name switch
        {
            InvoiceFields.Number => draft with { Number = cell },
            InvoiceFields.Date => draft with { Date = ReadDate(name, cell, errors) },
            InvoiceFields.DueDate => draft with { DueDate = ReadDate(name, cell, errors) },
            InvoiceFields.Provider => draft with { Provider = cell },
            InvoiceFields.Nit => draft with { Nit = cell },
            InvoiceFields.Amount => draft with { Amount = ReadAmount(name, cell, errors) },
            InvoiceFields.Currency => draft with { Currency = cell },
            InvoiceFields.PaymentMethod => draft with { PaymentMethod = cell },
            InvoiceFields.Category => draft with { Category = cell },
            InvoiceFields.Description => draft with { Description = cell },
            InvoiceFields.Status => draft with { Status = cell },
            InvoiceFields.PaidAt => draft with { PaidAt = ReadDate(name, cell, errors) },
            InvoiceFields.FilePath => draft with { FilePath = cell },
            InvoiceFields.OcrData => draft with { OcrData = ReadObject(name, cell, errors) },
            InvoiceFields.OcrConfidence => draft with { OcrConfidence = ReadFraction(name, cell, errors) },
            InvoiceFields.Kind => draft with { Kind = cell },
            InvoiceFields.Subtotal => draft with { Subtotal = ReadAmount(name, cell, errors) },
            InvoiceFields.Discounts => draft with { Discounts = ReadAmount(name, cell, errors) },
            InvoiceFields.Charges => draft with { Charges = ReadAmount(name, cell, errors) },
            InvoiceFields.Prepaid => draft with { Prepaid = ReadAmount(name, cell, errors) },
            InvoiceFields.Rounding => draft with { Rounding = ReadAmount(name, cell, errors) },
            InvoiceFields.Payable => draft with { Payable = ReadAmount(name, cell, errors) },
            InvoiceFields.Cufe => draft with { Cufe = cell },
            _ when TaxColumn.TryParse(name, out var column) => column.ReadInto(draft, cell, errors),
            _ => draft,
        };
    }

    // In CSV the lists are spread over one column pair per scheme and rate (TaxColumn); a JSON list in one cell is not read.
    private static readonly string[] TaxLists = [InvoiceFields.Taxes, InvoiceFields.Withholdings];

    private static bool IsColumn(string name) =>
        (InvoiceFields.Writable.Contains(name) && !TaxLists.Contains(name)) || InvoiceFields.ServerOwned.Contains(name)
        || TaxColumn.TryParse(name, out _) || name == TaxColumn.Payable;

    private static DateOnly? ReadDate(string name, string cell, FieldErrors errors)
    {
        if (InvoiceDraftReader.TryParseDate(cell, out var date))
        {
            return date;
        }
        errors.Add(name, "Must be a date written YYYY-MM-DD (for example 2024-03-31), or empty.");
        return null;
    }

    internal static decimal? ReadAmount(string name, string cell, FieldErrors errors)
    {
        if (InvoiceDraftReader.TryParseAmount(cell, out var amount))
        {
            return amount;
        }
        errors.Add(name, "Must be a decimal amount such as 1234.50 (digits with an optional decimal point).");
        return null;
    }

    // JSON's usual 64 levels for the whole invoice, as in a JSON body: the invoice object around ocr_data takes one
    // (a PATCH re-reads the stored invoice as that object, and a deeper cell would fail it).
    private static readonly JsonDocumentOptions OcrDataOptions = new() { MaxDepth = 63 };

    private static string? ReadObject(string name, string cell, FieldErrors errors)
    {
        try
        {
            using var document = JsonDocument.Parse(cell, OcrDataOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object && JsonUnicode.IsDecodable(document.RootElement) && IsStorable(document.RootElement))
            {
                return document.RootElement.GetRawText();
            }
        }
        catch (JsonException)
        {
            // Reported below, like any other non-object.
        }
        errors.Add(name, "Must be a JSON object nested at most 63 levels deep (valid Unicode, without NUL characters), or empty.");
        return null;
    }

    // jsonb cannot hold U+0000, which a JSON escape (\u0000) can still spell.
    private static bool IsStorable(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().All(p => InvoiceDraftReader.IsStorable(p.Name) && IsStorable(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().All(IsStorable),
        JsonValueKind.String => InvoiceDraftReader.IsStorable(value.GetString()!),
        _ => true,
    };

    private static double? ReadFraction(string name, string cell, FieldErrors errors)
    {
        // An exponent too: the export writes a small confidence as the JSON does (1E-05).
        if (double.TryParse(cell, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            return number;
        }
        errors.Add(name, "Must be a number between 0 and 1, or empty.");
        return null;
    }
}
