namespace Invoices;

/// <summary>
/// What a DIAN document says, as the invoice fields a client would send (docs/documents.md has the table): the same
/// draft then passes the same rules as any other invoice. A credit note's money is written negative, so it subtracts
/// in every figure.
/// </summary>
internal static class DocumentDraft
{
    internal const string DefaultCategory = "uncategorized";

    internal static InvoiceDraft From(DianDocument document, string category)
    {
        var sign = document.Kind == DianDocumentKind.CreditNote ? -1m : 1m;
        var totals = document.Totals;
        return new InvoiceDraft
        {
            Kind = KindOf(document.Kind),
            Number = document.Number,
            Cufe = document.Cufe,
            Date = document.IssueDate,
            DueDate = document.DueDate,
            Provider = Shorten(document.Supplier.Name.Trim(), 200),
            Nit = NitOf(document.Supplier),
            Currency = document.Currency,
            Subtotal = sign * totals.LineExtension,
            Taxes = document.Taxes.Select(tax => Signed(tax, sign)).ToList(),
            Discounts = NonZero(sign * totals.Allowances),
            Charges = NonZero(sign * totals.Charges),
            Prepaid = NonZero(sign * totals.Prepaid),
            Rounding = NonZero(sign * totals.Rounding),
            Amount = sign * totals.Payable,
            Withholdings = document.Withholdings.Select(tax => Signed(tax, sign)).ToList(),
            PaymentMethod = PaymentMethodOf(document.PaymentMeansCode),
            Category = category,
            Description = document.Note is { } note ? Shorten(note, 2000) : null,
            Status = InvoiceValues.Pending,
        };
    }

    /// <summary>The supplier's NIT as the API stores it (<c>900123456-8</c>); null when the supplier is identified otherwise.</summary>
    internal static string? NitOf(DianParty party) => party.IdScheme != DianDocumentReader.NitScheme ? null
        : party.CheckDigit is { } digit ? $"{party.Id}-{digit}" : party.Id;

    /// <summary>
    /// DIAN's payment means codes (annex table 13.3.4.2, UN/ECE 4461) as the API's payment methods: the ones a small
    /// business tells apart, and other for the rest (agreed between the parties, bills of exchange ...).
    /// </summary>
    internal static string? PaymentMethodOf(string? code) => code switch
    {
        null => null,
        "10" => "cash",
        "20" => "check",
        "30" or "31" or "42" or "45" or "46" or "47" => "transfer",
        "48" or "49" => "card",
        _ => "other",
    };

    private static string KindOf(DianDocumentKind kind) => kind switch
    {
        DianDocumentKind.CreditNote => InvoiceValues.CreditNote,
        DianDocumentKind.DebitNote => InvoiceValues.DebitNote,
        _ => InvoiceValues.InvoiceKind,
    };

    private static InvoiceTax Signed(DianTax tax, decimal sign) => new(tax.Scheme, tax.Name.Length > 0 ? Shorten(tax.Name, 60) : null, tax.Rate, sign * tax.Base, sign * tax.Amount);

    private static decimal? NonZero(decimal value) => value == 0 ? null : value;

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length];
}
