using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using InvoiceApi.Functions.Api.Json;

namespace Invoices;

/// <summary>
/// One tax or withholding of an invoice (docs/api.md, "Taxes"): the DIAN scheme code and its name, the rate in percent
/// (null for a tax charged per unit, such as INC on plastic bags), the taxable base and the amount. As read from a
/// request, any part may be missing; the validator says which are required.
/// </summary>
internal sealed record InvoiceTax(string? Scheme, string? Name, decimal? Rate, decimal? Base, decimal? Amount)
{
    /// <summary>The JSON names of a tax's fields.</summary>
    internal static readonly IReadOnlyList<string> Fields = ["scheme", "name", "rate", "base", "amount"];

    /// <summary>
    /// The rate as the API writes it: the decimal without trailing zeros ("19", "0.966", "2.5"), so one rate has one
    /// spelling in storage, in CSV column names and in the tax figures.
    /// </summary>
    internal static string RateText(decimal rate) => (rate / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A validated list as the stored and returned JSON: an array of objects with every value a string (money with two
    /// decimals, as <c>amount</c> is), and the scheme's standard name when the client sent none.
    /// </summary>
    internal static string ToJson(IReadOnlyList<InvoiceTax> taxes)
    {
        var buffer = new ArrayBufferWriter<byte>(128 * (taxes.Count + 1));
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            WriteArray(json, taxes);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes a stored list (its jsonb text) in the API's order, scheme first: jsonb keeps an object's keys in its own
    /// order (shortest first), which reads badly. An empty list, most invoices', is written without parsing.
    /// </summary>
    internal static void WriteStored(Utf8JsonWriter json, string storedJson)
    {
        if (storedJson == InvoiceValues.NoTaxes)
        {
            json.WriteStartArray();
            json.WriteEndArray();
            return;
        }
        WriteArray(json, FromJson(storedJson));
    }

    private static void WriteArray(Utf8JsonWriter json, IReadOnlyList<InvoiceTax> taxes)
    {
        json.WriteStartArray();
        foreach (var tax in taxes)
        {
            json.WriteStartObject();
            json.WriteString("scheme", tax.Scheme);
            json.WriteString("name", tax.Name?.Trim() ?? TaxSchemes.NameOf(tax.Scheme!));
            json.WriteStringOrNull("rate", tax.Rate is { } rate ? RateText(rate) : null);
            json.WriteString("base", InvoiceFormats.Amount(tax.Base ?? 0));
            json.WriteString("amount", InvoiceFormats.Amount(tax.Amount ?? 0));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Reads the stored JSON back (PATCH compares and merges it; the document intake reads a note's invoice; lists and exports write it).</summary>
    /// <remarks>
    /// With a forward-only reader rather than a <see cref="JsonDocument"/>: an export reads two lists per row, and the
    /// document was a quarter of an export's CPU (profiled). The stored form is ToJson's: every value a string or null.
    /// </remarks>
    internal static IReadOnlyList<InvoiceTax> FromJson(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var taxes = new List<InvoiceTax>(2);
        reader.Read(); // the array
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? scheme = null, name = null;
            decimal? rate = null, taxBase = null, amount = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                reader.Read();
                switch (property)
                {
                    case "scheme": scheme = reader.GetString(); break;
                    case "name": name = reader.GetString(); break;
                    case "rate": rate = StoredDecimal(ref reader); break;
                    case "base": taxBase = StoredDecimal(ref reader); break;
                    case "amount": amount = StoredDecimal(ref reader); break;
                    default: reader.Skip(); break;
                }
            }
            taxes.Add(new InvoiceTax(scheme, name, rate, taxBase, amount));
        }
        return taxes;
    }

    // Null, or a decimal written as a plain string ("19", "1234.50"), parsed from the bytes without making a string.
    private static decimal? StoredDecimal(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (!reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out decimal value, out var consumed) && consumed == reader.ValueSpan.Length)
        {
            return value;
        }
        return decimal.Parse(reader.GetString()!, CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// DIAN's tax scheme codes (Anexo Técnico de Factura Electrónica de Venta 1.9, table 13.2.2): the taxes an invoice
/// charges and the withholdings the buyer practises, each with its standard name.
/// </summary>
internal static class TaxSchemes
{
    internal static readonly IReadOnlyDictionary<string, string> Taxes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["01"] = "IVA", ["02"] = "IC", ["03"] = "ICA", ["04"] = "INC", ["08"] = "IC Porcentual", ["20"] = "FtoHorticultura",
        ["21"] = "Timbre", ["22"] = "INC Bolsas", ["23"] = "INCarbono", ["24"] = "INCombustibles", ["25"] = "Sobretasa Combustibles",
        ["26"] = "Sordicom", ["30"] = "IC Datos", ["32"] = "ICL", ["33"] = "INPP", ["34"] = "IBUA", ["35"] = "ICUI", ["ZZ"] = "Otro",
    };

    internal static readonly IReadOnlyDictionary<string, string> Withholdings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["05"] = "ReteIVA", ["06"] = "ReteRenta", ["07"] = "ReteICA",
    };

    internal const string Iva = "01";

    internal static string NameOf(string scheme) =>
        Taxes.TryGetValue(scheme, out var tax) ? tax : Withholdings.TryGetValue(scheme, out var withholding) ? withholding : scheme;
}
