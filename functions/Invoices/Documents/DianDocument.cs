namespace Invoices;

/// <summary>The three DIAN documents a supplier sends: what it sold, what it gave back, what it charged on top.</summary>
internal enum DianDocumentKind
{
    Invoice,
    CreditNote,
    DebitNote,
}

/// <summary>
/// A document-level tax or withholding subtotal. Rate is the percent (19 for 19 %), null for per-unit taxes
/// (the plastic bag INC charges pesos per bag, not a share of a base).
/// </summary>
internal sealed record DianTax(string Scheme, string Name, decimal? Rate, decimal Base, decimal Amount);

/// <summary>A party's tax id as the document writes it: Id digits, CheckDigit (schemeID) when present, IdScheme (schemeName, "31" = NIT).</summary>
internal sealed record DianParty(string Name, string Id, string? CheckDigit, string? IdScheme);

/// <summary>The monetary total as the document writes it; an optional amount it leaves out is 0.</summary>
internal sealed record DianTotals(decimal LineExtension, decimal TaxExclusive, decimal TaxInclusive, decimal Allowances, decimal Charges,
    decimal Prepaid, decimal Rounding, decimal Payable);

/// <summary>
/// What a supplier's DIAN document says, read and checked by <see cref="DianDocumentReader"/>. Amounts are as the document
/// writes them (positive for a credit note too): the consumer applies the signs.
/// </summary>
internal sealed record DianDocument(
    DianDocumentKind Kind, string Number,
    string Cufe /* the CUFE (invoice) or CUDE (note): 96 lower-case hexadecimal characters */,
    DateOnly IssueDate,
    DateOnly? DueDate /* cbc:DueDate, else the payment means' cbc:PaymentDueDate */,
    DianParty Supplier, DianParty Buyer, string Currency, DianTotals Totals,
    IReadOnlyList<DianTax> Taxes, IReadOnlyList<DianTax> Withholdings,
    string? PaymentMeansCode,
    string? ReferencedNumber /* the invoice a note corrects (cac:BillingReference); null for invoices and notes without one */,
    string? ReferencedCufe /* that invoice's CUFE, lower case */,
    string? Note /* the first cbc:Note, trimmed, at most DianDocumentReader.MaxNoteLength characters */);

/// <summary>
/// One XML file found in the upload: its name (the ZIP entry name, or the upload's name), its exact bytes as received
/// (the AttachedDocument if that is what came, or the bare document), and either the document read from it or why it was refused.
/// </summary>
internal sealed record DianFile(string Name, byte[] Xml, DianDocument? Document, string? Refusal);

/// <summary>
/// What an upload held: the XML files in order (PDFs and other non-XML entries are skipped and counted), or why the
/// whole upload was refused.
/// </summary>
internal sealed record DianUpload(IReadOnlyList<DianFile> Files, int SkippedEntries, string? Refusal);
