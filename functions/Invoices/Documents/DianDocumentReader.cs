using System.Globalization;
using System.Xml.Linq;

namespace Invoices;

/// <summary>
/// Reads a supplier's DIAN electronic document (UBL 2.1 Invoice, CreditNote or DebitNote, bare or inside the
/// AttachedDocument it is delivered in) into a <see cref="DianDocument"/>, and refuses it, with a sentence the user can act
/// on, when it is hostile, malformed, incomplete or does not add up. The signature is not verified: what is checked is
/// what a booking would go wrong on (check digits, totals, taxes, the envelope agreeing with its content).
/// </summary>
internal static class DianDocumentReader
{
    /// <summary>The largest XML file read: DIAN documents are tens of kilobytes, a long one a few megabytes.</summary>
    internal const int MaxBytes = SafeXml.MaxCharacters;

    internal const int MaxNoteLength = 2000;

    /// <summary>The hexadecimal length of a SHA-384 CUFE or CUDE.</summary>
    internal const int CufeLength = 96;

    /// <summary>DIAN's identification type 31: a NIT, which carries a check digit (schemeID).</summary>
    internal const string NitScheme = "31";

    private static readonly XNamespace AttachedDocumentNs = "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2";

    private static readonly Dictionary<XName, DianDocumentKind> Kinds = new()
    {
        [XName.Get("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")] = DianDocumentKind.Invoice,
        [XName.Get("CreditNote", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")] = DianDocumentKind.CreditNote,
        [XName.Get("DebitNote", "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2")] = DianDocumentKind.DebitNote,
    };

    /// <summary>The document <paramref name="xml"/> holds, or why it was refused.</summary>
    internal static (DianDocument? Document, string? Refusal) Read(byte[] xml)
    {
        if (xml.Length > MaxBytes)
        {
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"The XML is {xml.Length:N0} bytes; a DIAN document is read up to {MaxBytes:N0} bytes (5 MiB)."));
        }
        var (loaded, refusal) = SafeXml.Load(xml, "The XML");
        if (loaded is null)
        {
            return (null, refusal);
        }
        try
        {
            var root = loaded.Root!;
            return (root.Name == AttachedDocumentNs + "AttachedDocument" ? ReadAttached(root) : ReadDocument(root), null);
        }
        catch (DianRefusalException e)
        {
            return (null, e.Message);
        }
        catch (OverflowException)
        {
            return (null, "The document's amounts are too large to add up (beyond 28 digits).");
        }
    }

    /// <summary>Amounts that differ by a cent or more: DIAN's totals are exact to the cent.</summary>
    internal static bool DiffersByACent(decimal written, decimal computed) => Math.Abs(written - computed) >= 0.01m;

    /// <summary>
    /// The document the AttachedDocument carries as text in its own cac:Attachment (not the DIAN ApplicationResponse in
    /// cac:ParentDocumentLineReference), read with the same care, and checked against the envelope's number and sender.
    /// </summary>
    private static DianDocument ReadAttached(XElement envelope)
    {
        var text = Ubl.Text(envelope, "cac:Attachment/cac:ExternalReference/cbc:Description")
            ?? throw Ubl.Refused("The AttachedDocument carries no document: its cac:Attachment/cac:ExternalReference/cbc:Description is missing or empty.");
        var (embedded, refusal) = SafeXml.Load(text, "The document inside the AttachedDocument");
        if (embedded is null)
        {
            throw Ubl.Refused(refusal!);
        }
        if (!Kinds.ContainsKey(embedded.Root!.Name))
        {
            throw Ubl.Refused($"The AttachedDocument carries {Describe(embedded.Root.Name)}, not an Invoice, CreditNote or DebitNote.");
        }
        var document = ReadDocument(embedded.Root);
        if (Ubl.Text(envelope, "cbc:ParentDocumentID") is { } parentId && parentId != document.Number)
        {
            throw Ubl.Refused($"The AttachedDocument's cbc:ParentDocumentID is {Ubl.Shorten(parentId)}, but the document inside it is number {document.Number}.");
        }
        if (Ubl.Text(envelope, "cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID") is { } senderId && senderId != document.Supplier.Id)
        {
            throw Ubl.Refused($"The AttachedDocument's sender (cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID) is {Ubl.Shorten(senderId)}, but the document inside it is from supplier {document.Supplier.Id}.");
        }
        return document;
    }

    private static DianDocument ReadDocument(XElement root)
    {
        if (!Kinds.TryGetValue(root.Name, out var kind))
        {
            throw Ubl.Refused($"The XML's root element is {Describe(root.Name)}; expected a DIAN Invoice, CreditNote or DebitNote (UBL 2.1), or the AttachedDocument that carries one.");
        }
        var number = Ubl.RequiredText(root, "cbc:ID", "the document's number");
        var cufe = ReadCufe(root, kind);
        var issueDate = Ubl.Date(root, "cbc:IssueDate") ?? throw Ubl.Refused("The document has no cbc:IssueDate.");
        var invoiceDueDate = Ubl.Date(root, "cbc:DueDate");
        var paymentDueDate = Ubl.Date(root, "cac:PaymentMeans/cbc:PaymentDueDate");
        var currency = Ubl.RequiredText(root, "cbc:DocumentCurrencyCode", "the currency of its amounts");
        var supplier = ReadParty(root, "cac:AccountingSupplierParty", "supplier", required: true);
        var buyer = ReadParty(root, "cac:AccountingCustomerParty", "buyer", required: false);
        var (taxes, withholdings, taxSum) = DianTaxReader.Read(root, currency);
        var totals = ReadTotals(root, kind, currency);
        CheckTotals(totals, taxSum);
        var isNote = kind != DianDocumentKind.Invoice;
        return new DianDocument(kind, number, cufe, issueDate, invoiceDueDate ?? paymentDueDate, supplier, buyer, currency, totals, taxes, withholdings,
            PaymentMeansCode: Ubl.Text(root, "cac:PaymentMeans/cbc:PaymentMeansCode"),
            ReferencedNumber: isNote ? Ubl.Text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") : null,
            ReferencedCufe: isNote ? Ubl.Text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID")?.ToLowerInvariant() : null,
            Note: ReadNote(root));
    }

    // The CUFE (invoices) or CUDE (notes) identifies the document at DIAN: it is what finds a duplicate upload.
    private static string ReadCufe(XElement root, DianDocumentKind kind)
    {
        var name = kind == DianDocumentKind.Invoice ? "CUFE" : "CUDE";
        var uuid = Ubl.RequiredText(root, "cbc:UUID", $"the {name}");
        if (uuid.Length != CufeLength)
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"cbc:UUID must be the {CufeLength} hexadecimal characters of the {name}; found {uuid.Length} characters."));
        }
        if (!uuid.All(char.IsAsciiHexDigit))
        {
            throw Ubl.Refused($"cbc:UUID must be the {CufeLength} hexadecimal characters of the {name}; found characters other than 0-9 and a-f.");
        }
        return uuid.ToLowerInvariant();
    }

    /// <summary>
    /// A party's tax id and name. The supplier's are required (they say whose invoice it is); a buyer left out reads as
    /// empty. A NIT (schemeName 31) must carry DIAN's check digit when it carries one at all.
    /// </summary>
    private static DianParty ReadParty(XElement root, string partyPath, string who, bool required)
    {
        var party = Ubl.Find(root, partyPath + "/cac:Party");
        var companyId = party is null ? null : Ubl.Find(party, "cac:PartyTaxScheme/cbc:CompanyID");
        var name = party is null ? null
            : Ubl.Text(party, "cac:PartyTaxScheme/cbc:RegistrationName")
              ?? Ubl.Text(party, "cac:PartyLegalEntity/cbc:RegistrationName")
              ?? Ubl.Text(party, "cac:PartyName/cbc:Name");
        var id = companyId?.Value.Trim() ?? "";
        if (required && id.Length == 0)
        {
            throw Ubl.Refused($"The document has no {partyPath}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID (the {who}'s NIT).");
        }
        if (required && name is null)
        {
            throw Ubl.Refused($"The document has no {who} name: {partyPath}/cac:Party/cac:PartyTaxScheme/cbc:RegistrationName is missing or empty.");
        }
        var checkDigit = NonBlank(companyId?.Attribute("schemeID")?.Value);
        var idScheme = NonBlank(companyId?.Attribute("schemeName")?.Value);
        if (idScheme == NitScheme && id.Length > 0)
        {
            CheckNit(id, checkDigit, who, Ubl.PathOf(companyId!));
        }
        return new DianParty(name ?? "", id, checkDigit, idScheme);
    }

    private static void CheckNit(string id, string? checkDigit, string who, string path)
    {
        if (id.Length is < Nit.MinBaseDigits or > Nit.MaxBaseDigits || !id.All(char.IsAsciiDigit))
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"The {who}'s NIT ({path}, schemeName 31) must be {Nit.MinBaseDigits} to {Nit.MaxBaseDigits} digits without check digit, dots or hyphen; found '{Ubl.Shorten(id)}'."));
        }
        if (checkDigit is null)
        {
            return;
        }
        var expected = Nit.CheckDigit(id);
        if (checkDigit.Length != 1 || !char.IsAsciiDigit(checkDigit[0]))
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"The {who}'s NIT check digit (schemeID of {path}) must be one digit; found '{Ubl.Shorten(checkDigit)}' (DIAN's algorithm gives {expected} for {id})."));
        }
        if (checkDigit[0] - '0' != expected)
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"The {who}'s NIT check digit is wrong: for {id} the document says {checkDigit}, DIAN's algorithm gives {expected} (schemeID of {path})."));
        }
    }

    private static DianTotals ReadTotals(XElement root, DianDocumentKind kind, string currency)
    {
        var path = kind == DianDocumentKind.DebitNote ? "cac:RequestedMonetaryTotal" : "cac:LegalMonetaryTotal";
        var total = Ubl.Find(root, path);
        if (total?.Element(Ubl.Cbc + "PayableAmount") is null)
        {
            throw Ubl.Refused($"The document has no {path}/cbc:PayableAmount (the amount to pay).");
        }
        decimal AmountOf(string name) => Ubl.Amount(total, name, currency) ?? 0m;
        return new DianTotals(
            LineExtension: AmountOf("cbc:LineExtensionAmount"),
            TaxExclusive: AmountOf("cbc:TaxExclusiveAmount"),
            TaxInclusive: AmountOf("cbc:TaxInclusiveAmount"),
            Allowances: AmountOf("cbc:AllowanceTotalAmount"),
            Charges: AmountOf("cbc:ChargeTotalAmount"),
            Prepaid: AmountOf("cbc:PrepaidAmount"),
            Rounding: AmountOf("cbc:PayableRoundingAmount"),
            Payable: Ubl.RequiredAmount(total, "cbc:PayableAmount", currency));
    }

    /// <summary>The annex's sums, exact to the cent: what is to be paid must follow from the lines and the taxes.</summary>
    private static void CheckTotals(DianTotals totals, decimal taxSum)
    {
        var taxInclusive = totals.LineExtension + taxSum;
        if (DiffersByACent(totals.TaxInclusive, taxInclusive))
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"cbc:TaxInclusiveAmount is {totals.TaxInclusive}, but cbc:LineExtensionAmount {totals.LineExtension} plus the taxes (the cac:TaxTotal amounts, {taxSum}) is {taxInclusive}."));
        }
        var payable = totals.TaxInclusive - totals.Allowances + totals.Charges - totals.Prepaid + totals.Rounding;
        if (DiffersByACent(totals.Payable, payable))
        {
            throw Ubl.Refused(string.Create(CultureInfo.InvariantCulture,
                $"cbc:PayableAmount is {totals.Payable}, but cbc:TaxInclusiveAmount {totals.TaxInclusive} - allowances {totals.Allowances} + charges {totals.Charges} - prepaid {totals.Prepaid} + rounding {totals.Rounding} is {payable}."));
        }
    }

    private static string? ReadNote(XElement root)
    {
        var note = NonBlank(root.Element(Ubl.Cbc + "Note")?.Value);
        if (note is not { Length: > MaxNoteLength })
        {
            return note;
        }
        // Never cut between the two halves of a surrogate pair: half a character cannot be stored.
        var length = char.IsHighSurrogate(note[MaxNoteLength - 1]) ? MaxNoteLength - 1 : MaxNoteLength;
        return note[..length].TrimEnd();
    }

    private static string? NonBlank(string? text) => text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static string Describe(XName name) =>
        name.NamespaceName.Length == 0 ? $"<{Ubl.Shorten(name.LocalName)}> (without namespace)"
        : $"<{Ubl.Shorten(name.LocalName)}> (namespace {Ubl.Shorten(name.NamespaceName)})";
}
