using System.Globalization;
using System.Xml.Linq;

namespace Invoices;

/// <summary>
/// Finds UBL values by the paths the DIAN annex uses (<c>cac:AccountingSupplierParty/cac:Party/cbc:Name</c>) and reads
/// them as text, dates and amounts. Every refusal names the element by its path from the document's root, so a supplier
/// can find it in the file.
/// </summary>
internal static class Ubl
{
    internal static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    internal static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    internal static readonly XNamespace Ext = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";

    /// <summary>The first element at <paramref name="path"/> below <paramref name="from"/> (each step a direct child), or null.</summary>
    internal static XElement? Find(XElement from, string path)
    {
        XElement? element = from;
        foreach (var step in path.Split('/'))
        {
            element = element.Element(NameOf(step));
            if (element is null)
            {
                return null;
            }
        }
        return element;
    }

    /// <summary>The trimmed text at <paramref name="path"/>; null when the element is missing or blank.</summary>
    internal static string? Text(XElement from, string path) =>
        Find(from, path)?.Value.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>
    /// The trimmed text at <paramref name="path"/>; refused when missing or blank, saying <paramref name="what"/> the
    /// element holds ("the supplier's NIT") unless its name says enough.
    /// </summary>
    internal static string RequiredText(XElement from, string path, string? what = null) =>
        Text(from, path) ?? throw Missing(from, path, what);

    /// <summary>The date at <paramref name="path"/> (<c>YYYY-MM-DD</c>), null when missing; refused when it is no such date.</summary>
    internal static DateOnly? Date(XElement from, string path)
    {
        if (Find(from, path) is not { } element)
        {
            return null;
        }
        var text = element.Value.Trim();
        return InvoiceDraftReader.TryParseDate(text, out var date) ? date
            : throw Refused($"{PathOf(element)} must be a date written YYYY-MM-DD (for example 2024-03-31); found '{Shorten(text)}'.");
    }

    /// <summary>
    /// The amount at <paramref name="path"/>, null when missing. Refused when it is not decimal text (invariant culture,
    /// no exponent, no separators) or when its currencyID is not <paramref name="currency"/>, the document's currency.
    /// </summary>
    internal static decimal? Amount(XElement from, string path, string currency)
    {
        if (Find(from, path) is not { } element)
        {
            return null;
        }
        var amount = Number(element);
        var currencyId = element.Attribute("currencyID")?.Value.Trim();
        if (string.IsNullOrEmpty(currencyId))
        {
            throw Refused($"{PathOf(element)} has no currencyID; every amount names its currency ({currency}).");
        }
        if (!string.Equals(currencyId, currency, StringComparison.Ordinal))
        {
            throw Refused($"{PathOf(element)} is in {Shorten(currencyId)}, but the document's currency (cbc:DocumentCurrencyCode) is {currency}.");
        }
        return amount;
    }

    /// <summary>Like <see cref="Amount"/>, refused when missing.</summary>
    internal static decimal RequiredAmount(XElement from, string path, string currency) =>
        Amount(from, path, currency) ?? throw Missing(from, path, null);

    /// <summary>A decimal number without a currency (a percent), null when missing; refused when it is not decimal text.</summary>
    internal static decimal? Decimal(XElement from, string path) => Find(from, path) is { } element ? Number(element) : null;

    /// <summary>The refusal of a document: reading stops at the first thing wrong with it.</summary>
    internal static DianRefusalException Refused(string message) => new(message);

    /// <summary>The element's path from the document's root, as the annex writes it: <c>cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount</c>.</summary>
    internal static string PathOf(XElement element) =>
        string.Join('/', element.AncestorsAndSelf().Reverse().Skip(1).Select(PrefixedName));

    internal static string PrefixedName(XElement element) =>
        element.Name.Namespace == Cac ? "cac:" + element.Name.LocalName
        : element.Name.Namespace == Cbc ? "cbc:" + element.Name.LocalName
        : element.Name.Namespace == Ext ? "ext:" + element.Name.LocalName
        : element.Name.LocalName;

    /// <summary>Text quoted in a refusal, cut so a hostile document cannot fill the message.</summary>
    internal static string Shorten(string text) =>
        text.Length <= 100 ? text : text[..(char.IsHighSurrogate(text[99]) ? 99 : 100)] + "...";

    private static decimal Number(XElement element)
    {
        var text = element.Value.Trim();
        return InvoiceDraftReader.TryParseAmount(text, out var number) ? number
            : throw Refused($"{PathOf(element)} must be a decimal number such as 1234.50 (digits and a point, no thousands separators or exponent); found '{Shorten(text)}'.");
    }

    private static DianRefusalException Missing(XElement from, string path, string? what)
    {
        var fullPath = from.Parent is null ? path : PathOf(from) + "/" + path;
        return Refused(what is null ? $"The document has no {fullPath}." : $"The document has no {fullPath} ({what}).");
    }

    private static XName NameOf(string step)
    {
        var colon = step.IndexOf(':', StringComparison.Ordinal);
        var prefix = step[..colon];
        var local = step[(colon + 1)..];
        return prefix switch
        {
            "cac" => Cac + local,
            "cbc" => Cbc + local,
            "ext" => Ext + local,
            _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unknown UBL prefix in '{step}'."), nameof(step)),
        };
    }
}

/// <summary>Why a DIAN document was refused; <see cref="DianDocumentReader"/> turns it into the file's refusal.</summary>
internal sealed class DianRefusalException(string message) : Exception(message);
