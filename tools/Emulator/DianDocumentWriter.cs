using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Writes a <see cref="DemoDocument"/> as a supplier delivers it (docs/documents.md): the UBL 2.1 Invoice, CreditNote or
/// DebitNote with DIAN's extensions, as text inside the AttachedDocument envelope next to DIAN's validation, and, for some,
/// zipped with a PDF the way the e-mail carries them. The signature is a placeholder: nobody verifies it here, and the
/// Invoices function checks what a booking depends on (check digits, totals, taxes, the envelope agreeing with the document).
/// </summary>
internal static class DianDocumentWriter
{
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Ext = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";
    private static readonly XNamespace Sts = "dian:gov:co:facturaelectronica:Structures-2-1";
    private static readonly XNamespace Ds = "http://www.w3.org/2000/09/xmldsig#";
    private static readonly XNamespace Attached = "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2";
    private static readonly XNamespace Response = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2";

    private const string DianName = "Unidad Especial Dirección de Impuestos y Aduanas Nacionales";
    private const string DianNit = "800197268";

    /// <summary>What <c>POST /documents</c> is sent: the ZIP with the PDF, or the AttachedDocument XML alone.</summary>
    internal static (byte[] Body, string ContentType) Upload(DemoDocument document)
    {
        var xml = AttachedDocument(document);
        return document.Zipped ? (Zip(document, xml), "application/zip") : (xml, "application/xml");
    }

    /// <summary>The AttachedDocument envelope: the document as CDATA in cac:Attachment, DIAN's response in cac:ParentDocumentLineReference.</summary>
    internal static byte[] AttachedDocument(DemoDocument document)
    {
        var envelope = new XElement(Attached + "AttachedDocument",
            Namespaces(),
            new XElement(Ext + "UBLExtensions", Signature()),
            new XElement(Cbc + "UBLVersionID", "UBL 2.1"),
            new XElement(Cbc + "CustomizationID", "Documentos adjuntos"),
            new XElement(Cbc + "ProfileID", "Factura Electrónica de Venta"),
            new XElement(Cbc + "ProfileExecutionID", "1"),
            new XElement(Cbc + "ID", document.Number),
            new XElement(Cbc + "IssueDate", DemoDocument.Day(document.Date)),
            new XElement(Cbc + "IssueTime", DemoDocument.IssueTime),
            new XElement(Cbc + "DocumentType", "Contenedor de Factura Electrónica"),
            new XElement(Cbc + "ParentDocumentID", document.Number),
            EnvelopeParty("SenderParty", document.Supplier.Name, document.Supplier.NitBase!),
            EnvelopeParty("ReceiverParty", DemoDocument.BuyerName, DemoDocument.BuyerNitBase),
            new XElement(Cac + "Attachment", ExternalReference(Text(Document(document)))),
            new XElement(Cac + "ParentDocumentLineReference",
                new XElement(Cbc + "LineID", "1"),
                new XElement(Cac + "DocumentReference",
                    new XElement(Cbc + "ID", document.Number),
                    new XElement(Cbc + "UUID", new XAttribute("schemeName", CufeScheme(document)), document.Cufe),
                    new XElement(Cbc + "IssueDate", DemoDocument.Day(document.Date)),
                    new XElement(Cbc + "DocumentType", "ApplicationResponse"),
                    new XElement(Cac + "Attachment", ExternalReference(Text(Validation(document)))),
                    new XElement(Cac + "ResultOfVerification",
                        new XElement(Cbc + "ValidatorID", DianName),
                        new XElement(Cbc + "ValidationResultCode", "02"),
                        new XElement(Cbc + "ValidationDate", DemoDocument.Day(document.Date)),
                        new XElement(Cbc + "ValidationTime", "09:30:41-05:00")))));
        return Bytes(envelope);
    }

    /// <summary>The supplier's document itself: what DIAN validated and the AttachedDocument carries.</summary>
    internal static XElement Document(DemoDocument document)
    {
        var (root, typeCode, monetaryTotal, lineName, quantityName) = document.Kind switch
        {
            DemoDocumentKind.CreditNote => (XName.Get("CreditNote", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"),
                new XElement(Cbc + "CreditNoteTypeCode", "91"), "LegalMonetaryTotal", "CreditNoteLine", "CreditedQuantity"),
            DemoDocumentKind.DebitNote => (XName.Get("DebitNote", "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2"),
                null, "RequestedMonetaryTotal", "DebitNoteLine", "DebitedQuantity"),
            _ => (XName.Get("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
                new XElement(Cbc + "InvoiceTypeCode", "01"), "LegalMonetaryTotal", "InvoiceLine", "InvoicedQuantity"),
        };
        var supplier = document.Supplier;
        return new XElement(root,
            Namespaces(),
            new XElement(Ext + "UBLExtensions", DianExtensions(document), Signature()),
            new XElement(Cbc + "UBLVersionID", "UBL 2.1"),
            new XElement(Cbc + "CustomizationID", document.Kind == DemoDocumentKind.Invoice ? "10" : "20"),
            new XElement(Cbc + "ProfileID", document.Kind switch
            {
                DemoDocumentKind.CreditNote => "DIAN 2.1: Nota Crédito de Factura Electrónica de Venta",
                DemoDocumentKind.DebitNote => "DIAN 2.1: Nota Débito de Factura Electrónica de Venta",
                _ => "DIAN 2.1: Factura Electrónica de Venta",
            }),
            new XElement(Cbc + "ProfileExecutionID", "1"),
            new XElement(Cbc + "ID", document.Number),
            new XElement(Cbc + "UUID", new XAttribute("schemeID", "1"), new XAttribute("schemeName", CufeScheme(document)), document.Cufe),
            new XElement(Cbc + "IssueDate", DemoDocument.Day(document.Date)),
            new XElement(Cbc + "IssueTime", DemoDocument.IssueTime),
            document.DueDate is { } due && document.Kind == DemoDocumentKind.Invoice ? new XElement(Cbc + "DueDate", DemoDocument.Day(due)) : null,
            typeCode,
            new XElement(Cbc + "Note", document.Note),
            new XElement(Cbc + "DocumentCurrencyCode", new XAttribute("listAgencyID", "6"), new XAttribute("listID", "ISO 4217 Alpha"), supplier.Currency),
            new XElement(Cbc + "LineCountNumeric", document.Lines.Count),
            document.Corrects is { } corrected ? Correction(document, corrected) : null,
            Party("AccountingSupplierParty", supplier.Name, supplier.NitBase!),
            Party("AccountingCustomerParty", DemoDocument.BuyerName, DemoDocument.BuyerNitBase),
            document.Kind == DemoDocumentKind.CreditNote ? null : new XElement(Cac + "PaymentMeans",
                // 1 is cash (contado), 2 credit.
                new XElement(Cbc + "ID", document.DueDate is { } payBy && payBy > document.Date ? "2" : "1"),
                new XElement(Cbc + "PaymentMeansCode", document.PaymentMeansCode),
                document.DueDate is { } paymentDue ? new XElement(Cbc + "PaymentDueDate", DemoDocument.Day(paymentDue)) : null),
            document.Taxes.GroupBy(tax => tax.Scheme).Select(scheme => TaxGroup("TaxTotal", supplier.Currency, [.. scheme])),
            document.Withholdings.GroupBy(tax => tax.Scheme).Select(scheme => TaxGroup("WithholdingTaxTotal", supplier.Currency, [.. scheme])),
            new XElement(Cac + monetaryTotal,
                Money("LineExtensionAmount", document.Subtotal, supplier.Currency),
                Money("TaxExclusiveAmount", document.Lines.Where(line => line.Tax is not null).Sum(line => line.Amount), supplier.Currency),
                Money("TaxInclusiveAmount", document.TaxInclusive, supplier.Currency),
                Money("PayableAmount", document.Payable, supplier.Currency)),
            document.Lines.Select((line, index) => new XElement(Cac + lineName,
                new XElement(Cbc + "ID", index + 1),
                new XElement(Cbc + quantityName, new XAttribute("unitCode", "94"), Decimal(line.Quantity)),
                Money("LineExtensionAmount", line.Amount, supplier.Currency),
                // A line repeats its own tax; the reader counts only the document's, so nothing is counted twice.
                line.Tax is { } tax ? TaxGroup("TaxTotal", supplier.Currency, [new DemoTax(tax.Scheme, tax.Name, tax.Rate, line.Amount, line.TaxAmount)]) : null,
                new XElement(Cac + "Item",
                    new XElement(Cbc + "Description", line.Description),
                    new XElement(Cac + "StandardItemIdentification",
                        new XElement(Cbc + "ID", new XAttribute("schemeID", "999"), string.Create(CultureInfo.InvariantCulture, $"{supplier.NumberPrefix}-{index + 1:000}")))),
                new XElement(Cac + "Price",
                    Money("PriceAmount", line.UnitPrice, supplier.Currency),
                    new XElement(Cbc + "BaseQuantity", new XAttribute("unitCode", "94"), "1.00")))));
    }

    /// <summary>A ZIP as the supplier's e-mail carries it: the AttachedDocument and a (fake) PDF rendering of it.</summary>
    internal static byte[] Zip(DemoDocument document, byte[] attachedDocument)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, document.FileName("ad", "xml"), attachedDocument);
            Add(archive, document.FileName(document.Kind switch { DemoDocumentKind.CreditNote => "nc", DemoDocumentKind.DebitNote => "nd", _ => "fv" }, "pdf"), Pdf(document));
        }
        return buffer.ToArray();
    }

    private static void Add(ZipArchive archive, string name, byte[] bytes)
    {
        using var entry = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    // Enough of a PDF to be recognised as one (and skipped by the intake): the supplier's rendering is not read.
    private static byte[] Pdf(DemoDocument document) => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"%PDF-1.4\n1 0 obj << /Type /Catalog /Title (Factura electronica {document.Number}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));

    private static string CufeScheme(DemoDocument document) => document.Kind == DemoDocumentKind.Invoice ? "CUFE-SHA384" : "CUDE-SHA384";

    // A note's reason (cac:DiscrepancyResponse: a credit note's 1 partial return or 2 annulment, a debit note's 2 charges
    // not billed before) and the
    // invoice it corrects (cac:BillingReference), which the Invoices function links it to by CUFE.
    private static IEnumerable<XElement> Correction(DemoDocument note, DemoDocument invoice) =>
    [
        new XElement(Cac + "DiscrepancyResponse",
            new XElement(Cbc + "ReferenceID", invoice.Number),
            new XElement(Cbc + "ResponseCode", note.Kind == DemoDocumentKind.DebitNote ? "2" : note.Subtotal == invoice.Subtotal ? "2" : "1"),
            new XElement(Cbc + "Description", note.Note)),
        new XElement(Cac + "BillingReference",
            new XElement(Cac + "InvoiceDocumentReference",
                new XElement(Cbc + "ID", invoice.Number),
                new XElement(Cbc + "UUID", new XAttribute("schemeName", "CUFE-SHA384"), invoice.Cufe),
                new XElement(Cbc + "IssueDate", DemoDocument.Day(invoice.Date)))),
    ];

    private static XAttribute[] Namespaces() =>
    [
        new(XNamespace.Xmlns + "cac", Cac), new(XNamespace.Xmlns + "cbc", Cbc), new(XNamespace.Xmlns + "ext", Ext),
        new(XNamespace.Xmlns + "sts", Sts), new(XNamespace.Xmlns + "ds", Ds),
    ];

    // DIAN's extension: the numbering authorization (invoices only), the software that made it, its QR text.
    private static XElement DianExtensions(DemoDocument document) => new(Ext + "UBLExtension", new XElement(Ext + "ExtensionContent",
        new XElement(Sts + "DianExtensions",
            document.Kind != DemoDocumentKind.Invoice ? null : new XElement(Sts + "InvoiceControl",
                new XElement(Sts + "InvoiceAuthorization", "18764000" + document.Supplier.NitBase![^5..]),
                new XElement(Sts + "AuthorizationPeriod", new XElement(Cbc + "StartDate", "2024-01-01"), new XElement(Cbc + "EndDate", "2027-12-31")),
                new XElement(Sts + "AuthorizedInvoices",
                    new XElement(Sts + "Prefix", document.Supplier.NumberPrefix), new XElement(Sts + "From", "1"), new XElement(Sts + "To", "999999"))),
            new XElement(Sts + "InvoiceSource", new XElement(Cbc + "IdentificationCode", new XAttribute("listAgencyID", "6"), "CO")),
            new XElement(Sts + "SoftwareProvider",
                new XElement(Sts + "ProviderID", new XAttribute("schemeAgencyID", "195"), new XAttribute("schemeID", DemoNit.CheckDigit(document.Supplier.NitBase!)),
                    new XAttribute("schemeName", "31"), document.Supplier.NitBase),
                new XElement(Sts + "SoftwareID", new XAttribute("schemeAgencyID", "195"), "0b6e2f5c-4d1a-4c1e-9f3a-5e7d8c9b0a12")),
            new XElement(Sts + "AuthorizationProvider",
                new XElement(Sts + "AuthorizationProviderID", new XAttribute("schemeAgencyID", "195"), new XAttribute("schemeID", DemoNit.CheckDigit(DianNit)),
                    new XAttribute("schemeName", "31"), DianNit)),
            new XElement(Sts + "QRCode", string.Create(CultureInfo.InvariantCulture,
                $"NumFac: {document.Number}\nFecFac: {DemoDocument.Day(document.Date)}\nNitFac: {document.Supplier.NitBase}\nDocAdq: {DemoDocument.BuyerNitBase}\nValTolFac: {DemoDocument.Money(document.Payable)}\nCUFE: {document.Cufe}")))));

    // Where the supplier's XAdES signature goes. A placeholder: the demo has no certificate, and nothing here verifies one.
    private static XElement Signature() => new(Ext + "UBLExtension", new XElement(Ext + "ExtensionContent",
        new XElement(Ds + "Signature", new XAttribute("Id", "demo-signature"),
            new XElement(Ds + "SignedInfo",
                new XElement(Ds + "CanonicalizationMethod", new XAttribute("Algorithm", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315")),
                new XElement(Ds + "SignatureMethod", new XAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"))),
            new XElement(Ds + "SignatureValue", "ZGVtbyBzaWduYXR1cmUsIG5vdCB2ZXJpZmlhYmxl"))));

    private static XElement Party(string role, string name, string nitBase) => new(Cac + role,
        // 1 a legal person.
        new XElement(Cbc + "AdditionalAccountID", "1"),
        new XElement(Cac + "Party",
            new XElement(Cac + "PartyName", new XElement(Cbc + "Name", name)),
            new XElement(Cac + "PartyTaxScheme",
                new XElement(Cbc + "RegistrationName", name),
                CompanyId(nitBase),
                new XElement(Cbc + "TaxLevelCode", new XAttribute("listName", "48"), "O-13"),
                new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "01"), new XElement(Cbc + "Name", "IVA"))),
            new XElement(Cac + "PartyLegalEntity", new XElement(Cbc + "RegistrationName", name), CompanyId(nitBase))));

    private static XElement EnvelopeParty(string role, string name, string nitBase) => new(Cac + role,
        new XElement(Cac + "PartyTaxScheme",
            new XElement(Cbc + "RegistrationName", name),
            CompanyId(nitBase),
            new XElement(Cbc + "TaxLevelCode", new XAttribute("listName", "48"), "O-13"),
            new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "01"), new XElement(Cbc + "Name", "IVA"))));

    // A NIT: the base number, its check digit in schemeID, and schemeName 31 (DIAN's code for a NIT).
    private static XElement CompanyId(string nitBase) => new(Cbc + "CompanyID",
        new XAttribute("schemeAgencyID", "195"),
        new XAttribute("schemeAgencyName", "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"),
        new XAttribute("schemeID", DemoNit.CheckDigit(nitBase)),
        new XAttribute("schemeName", "31"),
        nitBase);

    private static XElement TaxGroup(string element, string currency, IReadOnlyList<DemoTax> subtotals) => new(Cac + element,
        Money("TaxAmount", subtotals.Sum(tax => tax.Amount), currency),
        subtotals.Select(tax => new XElement(Cac + "TaxSubtotal",
            Money("TaxableAmount", tax.Base, currency),
            Money("TaxAmount", tax.Amount, currency),
            new XElement(Cac + "TaxCategory",
                new XElement(Cbc + "Percent", Decimal(tax.Rate)),
                new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", tax.Scheme), new XElement(Cbc + "Name", tax.Name))))));

    // What DIAN answers when it validates the document: a signed UBL document of its own, which the intake does not read.
    private static XElement Validation(DemoDocument document) => new(Response + "ApplicationResponse",
        Namespaces(),
        new XElement(Ext + "UBLExtensions", Signature()),
        new XElement(Cbc + "UBLVersionID", "UBL 2.1"),
        new XElement(Cbc + "CustomizationID", "1"),
        new XElement(Cbc + "ProfileID", "DIAN 2.1"),
        new XElement(Cbc + "ProfileExecutionID", "1"),
        new XElement(Cbc + "ID", "R" + document.Number),
        new XElement(Cbc + "IssueDate", DemoDocument.Day(document.Date)),
        new XElement(Cbc + "IssueTime", "09:30:41-05:00"),
        EnvelopeParty("SenderParty", DianName, DianNit),
        EnvelopeParty("ReceiverParty", document.Supplier.Name, document.Supplier.NitBase!),
        new XElement(Cac + "DocumentResponse",
            new XElement(Cac + "Response", new XElement(Cbc + "ResponseCode", "02"), new XElement(Cbc + "Description", "Documento validado por la DIAN")),
            new XElement(Cac + "DocumentReference",
                new XElement(Cbc + "ID", document.Number),
                new XElement(Cbc + "UUID", new XAttribute("schemeName", CufeScheme(document)), document.Cufe))));

    private static XElement ExternalReference(string text) => new(Cac + "ExternalReference",
        new XElement(Cbc + "MimeCode", "text/xml"),
        new XElement(Cbc + "EncodingCode", "UTF-8"),
        new XElement(Cbc + "Description", new XCData(text)));

    private static XElement Money(string name, decimal amount, string currency) =>
        new(Cbc + name, new XAttribute("currencyID", currency), DemoDocument.Money(amount));

    private static string Decimal(decimal value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Text(XElement root) => Encoding.UTF8.GetString(Bytes(root));

    private static byte[] Bytes(XElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            new XDocument(new XDeclaration("1.0", "UTF-8", "no"), root).Save(writer);
        }
        return buffer.ToArray();
    }
}
