using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Which DIAN document: a supplier's invoice, or a note correcting one (a credit note subtracts, a debit note adds).</summary>
internal enum DemoDocumentKind
{
    Invoice,
    CreditNote,
    DebitNote,
}

/// <summary>One line of a demo document: what was sold, how many, at what unit price, and the tax on it (if any).</summary>
internal sealed record DemoLine(string Description, decimal Quantity, decimal UnitPrice, DemoTaxRate? Tax)
{
    internal decimal Amount => Quantity * UnitPrice;

    /// <summary>The line's tax, rounded to the cent as a supplier's software does for each line.</summary>
    internal decimal TaxAmount => Tax is null ? 0m : Math.Round(Amount * Tax.Rate / 100m, 2, MidpointRounding.AwayFromZero);
}

/// <summary>
/// A supplier's DIAN electronic document as the seed makes it: its lines, and everything that follows from them the way
/// the annex adds it up (taxes per tribute and rate, the tax-inclusive total, the payable amount, the withholdings and
/// the CUFE), so <see cref="DianDocumentWriter"/> only writes what is here.
/// </summary>
internal sealed record DemoDocument(
    DemoDocumentKind Kind,
    string Number,
    DateOnly Date,
    DateOnly? DueDate,
    DemoSupplier Supplier,
    IReadOnlyList<DemoLine> Lines,
    string Note,
    DemoDocument? Corrects,
    bool Zipped)
{
    /// <summary>The buyer every demo document is addressed to: the demo business account, whose NIT the seed sets first.</summary>
    internal const string BuyerName = "Comercializadora Andina Demo S.A.S.";

    internal const string BuyerNitBase = "901458213";

    /// <summary>DIAN's environment code in the CUFE: 1 production (2 is the test set).</summary>
    private const string Environment = "1";

    /// <summary>The time of issue every demo document states (Colombia is UTC-5 all year).</summary>
    internal const string IssueTime = "09:30:00-05:00";

    internal decimal Subtotal => Lines.Sum(line => line.Amount);

    /// <summary>The document-level taxes: the lines' taxes summed per tribute and rate.</summary>
    internal IReadOnlyList<DemoTax> Taxes => [.. Lines
        .Where(line => line.Tax is not null)
        .GroupBy(line => line.Tax!)
        .Select(group => new DemoTax(group.Key.Scheme, group.Key.Name, group.Key.Rate, group.Sum(line => line.Amount), group.Sum(line => line.TaxAmount)))];

    internal decimal TaxInclusive => Subtotal + Taxes.Sum(tax => tax.Amount);

    /// <summary>What the document asks to be paid: no discounts, charges or prepayments on the demo documents.</summary>
    internal decimal Payable => TaxInclusive;

    /// <summary>
    /// What the business withholds from this supplier, on the lines' total, once it reaches the supplier's threshold;
    /// in whole pesos, as withholding certificates state them.
    /// </summary>
    internal IReadOnlyList<DemoTax> Withholdings
    {
        get
        {
            if (Supplier.Taxes is not { } profile || Subtotal < profile.WithholdFrom)
            {
                return [];
            }
            DemoTax Withheld(string scheme, string name, decimal rate) =>
                new(scheme, name, rate, Subtotal, Math.Round(Subtotal * rate / 100m, 0, MidpointRounding.AwayFromZero));
            return [.. new[]
            {
                profile.ReteRenta is { } renta ? Withheld("06", "ReteRenta", renta) : null,
                profile.ReteIca is { } ica ? Withheld("07", "ReteICA", ica) : null,
            }.OfType<DemoTax>()];
        }
    }

    /// <summary>
    /// The CUFE (a note's CUDE) as the annex defines it: the SHA-384 of the number, date, time, lines' total, the IVA, INC
    /// and ICA amounts, the payable amount, both NITs, the supplier's technical key (a note: its software PIN) and the
    /// environment. The keys are made up, so DIAN would not recognise it; this API only checks its form.
    /// </summary>
    internal string Cufe
    {
        get
        {
            string TaxOf(string scheme) => Money(Taxes.Where(tax => tax.Scheme == scheme).Sum(tax => tax.Amount));
            var key = Kind == DemoDocumentKind.Invoice ? $"fc8eac422eba16e22ffd8c6f94b3f40a6e38162c{Supplier.NitBase}" : $"75315{Supplier.NitBase![^4..]}";
            var text = string.Concat(Number, Day(Date), IssueTime, Money(Subtotal), "01", TaxOf("01"), "04", TaxOf("04"), "03", TaxOf("03"),
                Money(Payable), Supplier.NitBase, BuyerNitBase, key, Environment);
            return Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(text)));
        }
    }

    /// <summary>DIAN's payment means code for how the supplier is paid (10 cash, 20 check, 42 bank transfer, 48 card).</summary>
    internal string PaymentMeansCode => Supplier.PaymentMethod switch
    {
        "cash" => "10",
        "check" => "20",
        "card" => "48",
        _ => "42",
    };

    /// <summary>The file name DIAN's convention gives the AttachedDocument: ad, the supplier's NIT in 10 digits, the year, a sequence.</summary>
    internal string FileName(string prefix, string extension) => string.Create(CultureInfo.InvariantCulture,
        $"{prefix}{Supplier.NitBase!.PadLeft(10, '0')}000{Date:yy}{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Number)))[..8]}.{extension}");

    internal static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    internal static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
