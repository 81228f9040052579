using System.Globalization;

namespace Invoices;

/// <summary>
/// One column of an invoice's taxes in CSV (docs/api.md, "CSV"): a list (tax or withholding), a DIAN scheme and a rate
/// make a pair of columns, <c>tax_01_19_base</c> and <c>tax_01_19_amount</c> (<c>withholding_06_2.5_…</c>;
/// <c>tax_22_…</c> for a tax charged per unit, which has no rate). An export writes the pairs that occur in its
/// invoices; an import reads any, and a row with both cells of a pair empty has no such tax.
/// </summary>
internal sealed record TaxColumn(string List, string Scheme, decimal? Rate, string Part)
{
    internal const string Tax = "tax";
    internal const string Withholding = "withholding";
    internal const string Base = "base";
    internal const string Amount = "amount";

    /// <summary>payable is computed, so an export writes it and an import checks it like the JSON's.</summary>
    internal const string Payable = InvoiceFields.Payable;

    internal string Name => $"{List}_{Scheme}{(Rate is { } rate ? $"_{InvoiceTax.RateText(rate)}" : "")}_{Part}";

    internal static bool TryParse(string name, out TaxColumn column)
    {
        column = null!;
        var parts = name.Split('_');
        if (parts.Length is < 3 or > 4 || parts[0] is not (Tax or Withholding) || parts[^1] is not (Base or Amount))
        {
            return false;
        }
        decimal? rate = null;
        if (parts.Length == 4)
        {
            if (!decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            rate = value;
        }
        column = new TaxColumn(parts[0], parts[1], rate, parts[^1]);
        return true;
    }

    /// <summary>Adds this cell's value to the draft's list entry of the same scheme and rate (made by whichever of the pair comes first).</summary>
    internal InvoiceDraft ReadInto(InvoiceDraft draft, string cell, FieldErrors errors)
    {
        var value = CsvInvoiceReader.ReadAmount(Name, cell, errors);
        var list = (List == Tax ? draft.Taxes : draft.Withholdings)?.ToList() ?? [];
        var index = list.FindIndex(t => t.Scheme == Scheme && t.Rate == Rate);
        var entry = index >= 0 ? list[index] : new InvoiceTax(Scheme, null, Rate, null, null);
        entry = Part == Base ? entry with { Base = value } : entry with { Amount = value };
        if (index >= 0)
        {
            list[index] = entry;
        }
        else
        {
            list.Add(entry);
        }
        return List == Tax ? draft with { Taxes = list } : draft with { Withholdings = list };
    }
}
