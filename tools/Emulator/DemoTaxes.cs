namespace InvoiceApi.Tools.Emulator;

/// <summary>A tax charged on a line, as DIAN codes it: IVA (01) at 19 % or 5 %, the consumption tax INC (04) at 8 % for restaurants.</summary>
internal sealed record DemoTaxRate(string Scheme, string Name, decimal Rate)
{
    internal static readonly DemoTaxRate Iva19 = new("01", "IVA", 19m);
    internal static readonly DemoTaxRate Iva5 = new("01", "IVA", 5m);
    internal static readonly DemoTaxRate Inc8 = new("04", "INC", 8m);
}

/// <summary>
/// How a supplier's bills are taxed: its usual tax on every line, an item it sometimes sells at another rate (coffee and
/// fertiliser carry IVA at 5 %), and what the business withholds from it once the bill is large enough (ReteRenta, the
/// income-tax withholding, at the rate of the kind of purchase; ReteICA, Bogotá's industry-and-commerce withholding).
/// Suppliers without one (utilities, cargo, a person not responsible for IVA, foreign vendors) bill no tax.
/// </summary>
internal sealed record DemoTaxProfile(
    DemoTaxRate Main,
    DemoTaxRate? OtherRate = null,
    string? OtherItem = null,
    decimal? ReteRenta = null,
    decimal? ReteIca = null,
    decimal WithholdFrom = 0m);

/// <summary>One tax or withholding as the API writes it: <c>{scheme, name, rate, base, amount}</c>.</summary>
internal sealed record DemoTax(string Scheme, string Name, decimal Rate, decimal Base, decimal Amount);
