using System.Globalization;
using System.Xml.Linq;

namespace Invoices;

/// <summary>
/// Reads a DIAN document's taxes and withholdings: the <c>cac:TaxTotal</c> and <c>cac:WithholdingTaxTotal</c> groups
/// that are direct children of the root (the lines repeat their own taxes, which must not be counted twice), one
/// <see cref="DianTax"/> per <c>cac:TaxSubtotal</c>. Each group must add up: its amount is the sum of its subtotals',
/// and a subtotal with a percent is that percent of its base.
/// </summary>
internal static class DianTaxReader
{
    /// <summary>Withholdings a supplier may write in a cac:TaxTotal (as before annex 1.8): ReteIVA, ReteRenta, ReteICA.</summary>
    private static readonly HashSet<string> WithholdingSchemes = ["05", "06", "07"];

    /// <summary>The tribute names of DIAN's table, for a cac:TaxScheme that gives only its code.</summary>
    private static readonly Dictionary<string, string> SchemeNames = new(StringComparer.Ordinal)
    {
        ["01"] = "IVA", ["02"] = "IC", ["03"] = "ICA", ["04"] = "INC", ["05"] = "ReteIVA", ["06"] = "ReteRenta", ["07"] = "ReteICA",
        ["08"] = "IC Porcentual", ["20"] = "FtoHorticultura", ["21"] = "Timbre", ["22"] = "INC Bolsas", ["23"] = "INCarbono",
        ["24"] = "INCombustibles", ["25"] = "Sobretasa Combustibles", ["26"] = "Sordicom", ["30"] = "IC Datos", ["32"] = "ICL",
        ["33"] = "INPP", ["34"] = "IBUA", ["35"] = "ICUI", ["ZZ"] = "Nombre de la figura tributaria",
    };

    /// <summary>The taxes, the withholdings, and the sum of the taxes' cac:TaxTotal amounts (what the tax-inclusive total adds).</summary>
    internal static (IReadOnlyList<DianTax> Taxes, IReadOnlyList<DianTax> Withholdings, decimal TaxSum) Read(XElement root, string currency)
    {
        var taxes = new List<DianTax>();
        var withholdings = new List<DianTax>();
        var taxSum = 0m;
        foreach (var group in root.Elements(Ubl.Cac + "TaxTotal"))
        {
            var (amount, subtotals) = ReadGroup(group, currency);
            if (subtotals.Count > 0 && subtotals.All(subtotal => WithholdingSchemes.Contains(subtotal.Scheme)))
            {
                withholdings.AddRange(subtotals);
                continue;
            }
            taxes.AddRange(subtotals);
            taxSum += amount;
        }
        foreach (var group in root.Elements(Ubl.Cac + "WithholdingTaxTotal"))
        {
            withholdings.AddRange(ReadGroup(group, currency).Subtotals);
        }
        return (taxes, withholdings, taxSum);
    }

    private static (decimal Amount, List<DianTax> Subtotals) ReadGroup(XElement group, string currency)
    {
        var amount = Ubl.RequiredAmount(group, "cbc:TaxAmount", currency);
        var subtotals = group.Elements(Ubl.Cac + "TaxSubtotal").Select(subtotal => ReadSubtotal(subtotal, currency)).ToList();
        var sum = subtotals.Sum(subtotal => subtotal.Amount);
        if (DianDocumentReader.DiffersByACent(amount, sum))
        {
            var scheme = subtotals.Count > 0 ? $" for {Describe(subtotals[0])}" : "";
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"The {Ubl.PrefixedName(group)}{scheme} says cbc:TaxAmount {amount}, but its cac:TaxSubtotal amounts add up to {sum}."));
        }
        return (amount, subtotals);
    }

    private static DianTax ReadSubtotal(XElement subtotal, string currency)
    {
        var scheme = Ubl.RequiredText(subtotal, "cac:TaxCategory/cac:TaxScheme/cbc:ID", "the tribute's code, 01 for IVA");
        var name = Ubl.Text(subtotal, "cac:TaxCategory/cac:TaxScheme/cbc:Name") ?? SchemeNames.GetValueOrDefault(scheme, scheme);
        var rate = Ubl.Decimal(subtotal, "cac:TaxCategory/cbc:Percent");
        var taxBase = Ubl.Amount(subtotal, "cbc:TaxableAmount", currency) ?? 0m;
        var amount = Ubl.RequiredAmount(subtotal, "cbc:TaxAmount", currency);
        var tax = new DianTax(scheme, name, rate, taxBase, amount);
        if (rate is { } percent && Math.Abs(amount - taxBase * percent / 100m) > TaxRules.Tolerance)
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"The {Describe(tax)} subtotal at {percent} % says cbc:TaxAmount {amount}, but {percent} % of its cbc:TaxableAmount {taxBase} is {Math.Round(taxBase * percent / 100m, 2)} (a difference of more than {TaxRules.Tolerance} is refused)."));
        }
        return tax;
    }

    private static string Describe(DianTax tax) => tax.Name == tax.Scheme ? tax.Scheme : $"{tax.Name} ({tax.Scheme})";
}
