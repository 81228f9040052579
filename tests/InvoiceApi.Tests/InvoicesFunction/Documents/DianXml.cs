using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction.Documents;

/// <summary>One line of a test document: what was sold, how many, at what unit price, with which taxes.</summary>
internal sealed record DianXmlLine(string Description, decimal Quantity, decimal UnitPrice, IReadOnlyList<DianXmlLineTax> Taxes)
{
    internal decimal Amount => Quantity * UnitPrice;
}

/// <summary>A tax on a line: a percent of the line's amount (<see cref="Rate"/>), or pesos per unit sold (<see cref="PerUnit"/>).</summary>
internal sealed record DianXmlLineTax(string Scheme, string Name, decimal? Rate = null, decimal? PerUnit = null)
{
    internal static DianXmlLineTax Iva(decimal rate) => new("01", "IVA", rate);
    internal static DianXmlLineTax Ica(decimal rate) => new("03", "ICA", rate);
    internal static DianXmlLineTax Inc(decimal rate) => new("04", "INC", rate);
    internal static DianXmlLineTax IncBolsas(decimal pesosPerBag) => new("22", "INC Bolsas", PerUnit: pesosPerBag);

    /// <summary>This tax on <paramref name="line"/>, as the line's own cac:TaxSubtotal states it.</summary>
    internal DianTax On(DianXmlLine line) => Rate is { } rate
        ? new DianTax(Scheme, Name, rate, line.Amount, Math.Round(line.Amount * rate / 100m, 2))
        : new DianTax(Scheme, Name, null, 0m, line.Quantity * PerUnit!.Value);
}

/// <summary>
/// Writes DIAN documents for tests, from the structure of the annex (UBL 2.1 with DIAN's extensions): an Invoice, a
/// CreditNote or a DebitNote with a dummy signature, lines that repeat their taxes, document-level taxes and withholdings
/// that add up, bare (<see cref="ToXml"/>) or wrapped in the AttachedDocument a supplier e-mails
/// (<see cref="ToAttachedDocument"/>, the document in CDATA next to a fake DIAN ApplicationResponse), and ZIPs of them.
/// Start from <see cref="Invoice"/>, <see cref="CreditNote"/> or <see cref="DebitNote"/> and change what a test needs with
/// <c>with { }</c>; taxes, withholdings and totals follow from the lines unless set. <see cref="Edit"/> changes the
/// written XML for the cases the fields cannot express (a TaxTotal that does not add up, a missing element).
/// </summary>
/// <remarks>
/// The default invoice: consulting 1,000,000.00 with IVA 19 % (190,000.00) and ICA 0.966 % (9,660.00); 10 reams of
/// paper at 12,500.00 with IVA 5 % (6,250.00); 4 lunches at 25,000.00 with INC 8 % (8,000.00); 2 bags at 100.00 with the
/// bag INC of 66.00 each (132.00). Lines 1,225,200.00, taxes 214,042.00, payable 1,439,242.00; withheld ReteRenta 2.5 %
/// (30,630.00), ReteIVA 15 % of the IVA (29,437.50), ReteICA 0.414 % (5,072.33).
/// </remarks>
internal sealed record DianXml
{
    internal static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    internal static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    internal static readonly XNamespace Ext = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";
    internal static readonly XNamespace Sts = "dian:gov:co:facturaelectronica:Structures-2-1";
    internal static readonly XNamespace Ds = "http://www.w3.org/2000/09/xmldsig#";
    internal static readonly XNamespace Xades = "http://uri.etsi.org/01903/v1.3.2#";
    internal static readonly XNamespace AttachedDocumentNs = "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2";
    internal static readonly XNamespace ApplicationResponseNs = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2";

    internal static readonly DianParty DefaultSupplier = new("Proveedora Andina de Servicios S.A.S.", "900123456", "8", "31");
    internal static readonly DianParty DefaultBuyer = new("Compradora del Valle S.A.S.", "901210113", "3", "31");

    internal DianDocumentKind Kind { get; init; } = DianDocumentKind.Invoice;
    internal string Number { get; init; } = "SETP990000001";

    /// <summary>The CUFE or CUDE as written; null writes <see cref="CufeOf"/> the number, so every number has its own.</summary>
    internal string? Cufe { get; init; }

    internal DateOnly IssueDate { get; init; } = new(2024, 3, 15);
    internal string IssueTime { get; init; } = "10:30:00-05:00";

    /// <summary>cbc:DueDate, written on invoices only.</summary>
    internal DateOnly? DueDate { get; init; } = new(2024, 4, 14);

    internal string? Note { get; init; } = "Factura de servicios de consultoría, marzo de 2024.";
    internal string Currency { get; init; } = "COP";
    internal DianParty Supplier { get; init; } = DefaultSupplier;
    internal DianParty Buyer { get; init; } = DefaultBuyer;

    /// <summary>cac:PaymentMeans/cbc:ID: 1 cash (contado), 2 credit.</summary>
    internal string PaymentMeansId { get; init; } = "2";

    /// <summary>cac:PaymentMeans/cbc:PaymentMeansCode (42 bank deposit); null leaves the payment means out.</summary>
    internal string? PaymentMeansCode { get; init; } = "42";

    internal DateOnly? PaymentDueDate { get; init; } = new(2024, 4, 14);

    internal IReadOnlyList<DianXmlLine> Lines { get; init; } =
    [
        new("Servicio de consultoría tributaria", 1m, 1_000_000.00m, [DianXmlLineTax.Iva(19m), DianXmlLineTax.Ica(0.966m)]),
        new("Resma de papel carta", 10m, 12_500.00m, [DianXmlLineTax.Iva(5m)]),
        new("Almuerzo ejecutivo", 4m, 25_000.00m, [DianXmlLineTax.Inc(8m)]),
        new("Bolsa plástica", 2m, 100.00m, [DianXmlLineTax.IncBolsas(66.00m)]),
    ];

    /// <summary>The document-level taxes; null sums the lines' taxes per tribute and rate.</summary>
    internal IReadOnlyList<DianTax>? Taxes { get; init; }

    /// <summary>The withholdings; null withholds ReteRenta 2.5 %, ReteIVA 15 % of the IVA and ReteICA 0.414 % of the lines.</summary>
    internal IReadOnlyList<DianTax>? Withholdings { get; init; }

    internal decimal Allowances { get; init; }
    internal decimal Charges { get; init; }
    internal decimal Prepaid { get; init; }
    internal decimal Rounding { get; init; }

    /// <summary>The monetary total as written; null computes it from the lines, taxes, allowances, charges, prepaid and rounding.</summary>
    internal DianTotals? Totals { get; init; }

    /// <summary>The invoice a note corrects (cac:BillingReference); null leaves the reference out.</summary>
    internal string? ReferencedNumber { get; init; }

    internal string? ReferencedCufe { get; init; }

    /// <summary>cac:DiscrepancyResponse/cbc:ResponseCode of a note (the reason: 1 a partial return, 2 an annulment ...).</summary>
    internal string DiscrepancyCode { get; init; } = "1";

    /// <summary>Changes the document's root element after it is written and before it is serialized.</summary>
    internal Action<XElement>? Edit { get; init; }

    internal static DianXml Invoice() => new();

    /// <summary>A credit note returning 2 reams of paper of <see cref="Invoice"/>'s invoice, which it references.</summary>
    internal static DianXml CreditNote() => new()
    {
        Kind = DianDocumentKind.CreditNote,
        Number = "NC1001",
        IssueDate = new(2024, 3, 20),
        DueDate = null,
        PaymentDueDate = null,
        Note = "Devolución de 2 resmas de papel.",
        Lines = [new("Devolución resma de papel carta", 2m, 12_500.00m, [DianXmlLineTax.Iva(5m)])],
        ReferencedNumber = "SETP990000001",
        ReferencedCufe = CufeOf("SETP990000001"),
        DiscrepancyCode = "1",
    };

    /// <summary>A debit note charging late-payment interest on <see cref="Invoice"/>'s invoice, which it references.</summary>
    internal static DianXml DebitNote() => new()
    {
        Kind = DianDocumentKind.DebitNote,
        Number = "ND2001",
        IssueDate = new(2024, 5, 2),
        DueDate = null,
        PaymentDueDate = new(2024, 5, 17),
        Note = "Intereses de mora.",
        Lines = [new("Intereses de mora", 1m, 50_000.00m, [DianXmlLineTax.Iva(19m)])],
        ReferencedNumber = "SETP990000001",
        ReferencedCufe = CufeOf("SETP990000001"),
        DiscrepancyCode = "1",
    };

    /// <summary>A made-up CUFE: the SHA-384 of the number, 96 lower-case hex characters like DIAN's.</summary>
    internal static string CufeOf(string number) => Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(number)));

    internal string WrittenCufe => Cufe ?? CufeOf(Number);

    /// <summary>The document-level taxes as written: <see cref="Taxes"/>, or the lines' taxes summed per tribute and rate.</summary>
    internal IReadOnlyList<DianTax> WrittenTaxes => Taxes ?? Lines
        .SelectMany(line => line.Taxes.Select(tax => tax.On(line)))
        .GroupBy(tax => (tax.Scheme, tax.Name, tax.Rate))
        .Select(group => new DianTax(group.Key.Scheme, group.Key.Name, group.Key.Rate, group.Sum(tax => tax.Base), group.Sum(tax => tax.Amount)))
        .GroupBy(tax => tax.Scheme).SelectMany(scheme => scheme)
        .ToList();

    /// <summary>The withholdings as written: <see cref="Withholdings"/>, or the usual three computed from the lines.</summary>
    internal IReadOnlyList<DianTax> WrittenWithholdings => Withholdings ?? DefaultWithholdings();

    /// <summary>The monetary total as written: <see cref="Totals"/>, or what the lines, taxes and adjustments make.</summary>
    internal DianTotals WrittenTotals
    {
        get
        {
            if (Totals is { } totals)
            {
                return totals;
            }
            var lines = Lines.Sum(line => line.Amount);
            var taxable = Lines.Where(line => line.Taxes.Any(tax => tax.Rate is not null)).Sum(line => line.Amount);
            var taxInclusive = lines + WrittenTaxes.Sum(tax => tax.Amount);
            return new DianTotals(lines, taxable, taxInclusive, Allowances, Charges, Prepaid, Rounding,
                taxInclusive - Allowances + Charges - Prepaid + Rounding);
        }
    }

    /// <summary>The bare document, UTF-8 without a byte order mark.</summary>
    internal byte[] ToXml() => Serialize(new XDocument(new XDeclaration("1.0", "UTF-8", "no"), Root()));

    internal string ToXmlText() => Encoding.UTF8.GetString(ToXml());

    /// <summary>
    /// The document inside the AttachedDocument a supplier sends: the document as CDATA in cac:Attachment, DIAN's
    /// (fake) ApplicationResponse in cac:ParentDocumentLineReference. The envelope's number and sender follow the
    /// document unless given; <paramref name="embeddedXml"/> replaces the document's text (for hostile content).
    /// </summary>
    internal byte[] ToAttachedDocument(string? parentDocumentId = null, string? senderCompanyId = null, string? embeddedXml = null)
    {
        var envelope = new XElement(AttachedDocumentNs + "AttachedDocument",
            Namespaces(),
            SignatureExtensions(),
            new XElement(Cbc + "UBLVersionID", "UBL 2.1"),
            new XElement(Cbc + "CustomizationID", "Documentos adjuntos"),
            new XElement(Cbc + "ProfileID", "Factura Electrónica de Venta"),
            new XElement(Cbc + "ProfileExecutionID", "1"),
            new XElement(Cbc + "ID", "AD" + Number),
            new XElement(Cbc + "IssueDate", Date(IssueDate)),
            new XElement(Cbc + "IssueTime", IssueTime),
            new XElement(Cbc + "DocumentType", "Contenedor de Factura Electrónica"),
            new XElement(Cbc + "ParentDocumentID", parentDocumentId ?? Number),
            EnvelopeParty("SenderParty", Supplier with { Id = senderCompanyId ?? Supplier.Id }),
            EnvelopeParty("ReceiverParty", Buyer),
            new XElement(Cac + "Attachment", ExternalReference(embeddedXml ?? ToXmlText())),
            new XElement(Cac + "ParentDocumentLineReference",
                new XElement(Cbc + "LineID", "1"),
                new XElement(Cac + "DocumentReference",
                    new XElement(Cbc + "ID", Number),
                    Uuid(),
                    new XElement(Cbc + "IssueDate", Date(IssueDate)),
                    new XElement(Cbc + "DocumentType", "ApplicationResponse"),
                    new XElement(Cac + "Attachment", ExternalReference(ApplicationResponseText())),
                    new XElement(Cac + "ResultOfVerification",
                        new XElement(Cbc + "ValidatorID", "Unidad Especial Dirección de Impuestos y Aduanas Nacionales"),
                        new XElement(Cbc + "ValidationResultCode", "02"),
                        new XElement(Cbc + "ValidationDate", Date(IssueDate)),
                        new XElement(Cbc + "ValidationTime", "10:31:02-05:00")))));
        return Serialize(new XDocument(new XDeclaration("1.0", "UTF-8", "no"), envelope));
    }

    /// <summary>A ZIP of the given entries, in order (a name ending in '/' with no bytes is a folder).</summary>
    internal static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.SmallestSize);
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A few bytes that start like the PDF rendering a supplier attaches.</summary>
    internal static byte[] Pdf(string title = "Factura electrónica de venta") =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Title ({title}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private XElement Root()
    {
        var root = new XElement(RootName(),
            Namespaces(),
            DianExtensions(),
            new XElement(Cbc + "UBLVersionID", "UBL 2.1"),
            new XElement(Cbc + "CustomizationID", "10"),
            new XElement(Cbc + "ProfileID", Kind switch
            {
                DianDocumentKind.CreditNote => "DIAN 2.1: Nota Crédito de Factura Electrónica de Venta",
                DianDocumentKind.DebitNote => "DIAN 2.1: Nota Débito de Factura Electrónica de Venta",
                _ => "DIAN 2.1: Factura Electrónica de Venta",
            }),
            new XElement(Cbc + "ProfileExecutionID", "2"),
            new XElement(Cbc + "ID", Number),
            Uuid(),
            new XElement(Cbc + "IssueDate", Date(IssueDate)),
            new XElement(Cbc + "IssueTime", IssueTime),
            Kind == DianDocumentKind.Invoice && DueDate is { } due ? new XElement(Cbc + "DueDate", Date(due)) : null,
            Kind switch
            {
                DianDocumentKind.Invoice => new XElement(Cbc + "InvoiceTypeCode", "01"),
                DianDocumentKind.CreditNote => new XElement(Cbc + "CreditNoteTypeCode", "91"),
                _ => null,
            },
            Note is null ? null : new XElement(Cbc + "Note", Note),
            new XElement(Cbc + "DocumentCurrencyCode", new XAttribute("listAgencyID", "6"), new XAttribute("listID", "ISO 4217 Alpha"), Currency),
            new XElement(Cbc + "LineCountNumeric", Lines.Count),
            Kind == DianDocumentKind.Invoice ? null : new XElement(Cac + "DiscrepancyResponse",
                new XElement(Cbc + "ReferenceID", ReferencedNumber ?? ""),
                new XElement(Cbc + "ResponseCode", DiscrepancyCode),
                new XElement(Cbc + "Description", Note ?? "")),
            Kind == DianDocumentKind.Invoice || ReferencedNumber is null ? null : new XElement(Cac + "BillingReference",
                new XElement(Cac + "InvoiceDocumentReference",
                    new XElement(Cbc + "ID", ReferencedNumber),
                    new XElement(Cbc + "UUID", new XAttribute("schemeName", "CUFE-SHA384"), ReferencedCufe ?? ""),
                    new XElement(Cbc + "IssueDate", "2024-03-15"))),
            Party("AccountingSupplierParty", Supplier, "1"),
            Party("AccountingCustomerParty", Buyer, "1"),
            PaymentMeansCode is null ? null : new XElement(Cac + "PaymentMeans",
                new XElement(Cbc + "ID", PaymentMeansId),
                new XElement(Cbc + "PaymentMeansCode", PaymentMeansCode),
                PaymentDueDate is { } paymentDue ? new XElement(Cbc + "PaymentDueDate", Date(paymentDue)) : null,
                new XElement(Cbc + "PaymentID", "1")),
            Prepaid == 0 ? null : new XElement(Cac + "PrepaidPayment",
                new XElement(Cbc + "ID", "ANT-1"),
                Money("PaidAmount", Prepaid),
                new XElement(Cbc + "ReceivedDate", Date(IssueDate.AddDays(-5)))),
            Allowances == 0 ? null : AllowanceCharge(false, "Descuento por pronto pago", Allowances),
            Charges == 0 ? null : AllowanceCharge(true, "Flete", Charges),
            WrittenTaxes.GroupBy(tax => tax.Scheme).Select(scheme => TaxGroup("TaxTotal", [.. scheme])),
            WrittenWithholdings.GroupBy(tax => tax.Scheme).Select(scheme => TaxGroup("WithholdingTaxTotal", [.. scheme])),
            MonetaryTotal(),
            Lines.Select((line, index) => Line(line, index + 1)));
        Edit?.Invoke(root);
        return root;
    }

    private XName RootName() => Kind switch
    {
        DianDocumentKind.CreditNote => XName.Get("CreditNote", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"),
        DianDocumentKind.DebitNote => XName.Get("DebitNote", "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2"),
        _ => XName.Get("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
    };

    private static XAttribute[] Namespaces() =>
    [
        new(XNamespace.Xmlns + "cac", Cac), new(XNamespace.Xmlns + "cbc", Cbc), new(XNamespace.Xmlns + "ext", Ext),
        new(XNamespace.Xmlns + "sts", Sts), new(XNamespace.Xmlns + "ds", Ds), new(XNamespace.Xmlns + "xades", Xades),
    ];

    private XElement Uuid() => new(Cbc + "UUID",
        new XAttribute("schemeID", "2"),
        new XAttribute("schemeName", Kind == DianDocumentKind.Invoice ? "CUFE-SHA384" : "CUDE-SHA384"),
        WrittenCufe);

    // DIAN's extension (numbering authorization, software, QR) and the XAdES signature, which nobody here verifies.
    private XElement DianExtensions() => new(Ext + "UBLExtensions",
        new XElement(Ext + "UBLExtension", new XElement(Ext + "ExtensionContent",
            new XElement(Sts + "DianExtensions",
                Kind != DianDocumentKind.Invoice ? null : new XElement(Sts + "InvoiceControl",
                    new XElement(Sts + "InvoiceAuthorization", "18760000001"),
                    new XElement(Sts + "AuthorizationPeriod",
                        new XElement(Cbc + "StartDate", "2019-01-19"), new XElement(Cbc + "EndDate", "2030-01-19")),
                    new XElement(Sts + "AuthorizedInvoices",
                        new XElement(Sts + "Prefix", "SETP"), new XElement(Sts + "From", "990000000"), new XElement(Sts + "To", "995000000"))),
                new XElement(Sts + "InvoiceSource",
                    new XElement(Cbc + "IdentificationCode", new XAttribute("listAgencyID", "6"), "CO")),
                new XElement(Sts + "SoftwareProvider",
                    new XElement(Sts + "ProviderID", new XAttribute("schemeAgencyID", "195"), new XAttribute("schemeID", Supplier.CheckDigit ?? ""),
                        new XAttribute("schemeName", "31"), Supplier.Id),
                    new XElement(Sts + "SoftwareID", new XAttribute("schemeAgencyID", "195"), "56f2ae4e-9812-4fad-9255-08fcfcd5ccb0")),
                new XElement(Sts + "SoftwareSecurityCode", new XAttribute("schemeAgencyID", "195"), CufeOf("software" + Number)),
                new XElement(Sts + "AuthorizationProvider",
                    new XElement(Sts + "AuthorizationProviderID", new XAttribute("schemeAgencyID", "195"), new XAttribute("schemeID", "4"),
                        new XAttribute("schemeName", "31"), "800197268")),
                new XElement(Sts + "QRCode", $"NumFac: {Number}\nFecFac: {Date(IssueDate)}\nNitFac: {Supplier.Id}\nCUFE: {WrittenCufe}")))),
        SignatureExtension());

    private static XElement SignatureExtensions() => new(Ext + "UBLExtensions", SignatureExtension());

    private static XElement SignatureExtension() => new(Ext + "UBLExtension", new XElement(Ext + "ExtensionContent",
        new XElement(Ds + "Signature", new XAttribute("Id", "xmldsig-test-signature"),
            new XElement(Ds + "SignedInfo",
                new XElement(Ds + "CanonicalizationMethod", new XAttribute("Algorithm", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315")),
                new XElement(Ds + "SignatureMethod", new XAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")),
                new XElement(Ds + "Reference", new XAttribute("URI", ""),
                    new XElement(Ds + "DigestMethod", new XAttribute("Algorithm", "http://www.w3.org/2001/04/xmlenc#sha256")),
                    new XElement(Ds + "DigestValue", "bm90IGEgcmVhbCBkaWdlc3Q="))),
            new XElement(Ds + "SignatureValue", "bm90IGEgcmVhbCBzaWduYXR1cmU="),
            new XElement(Ds + "KeyInfo", new XElement(Ds + "X509Data", new XElement(Ds + "X509Certificate", "bm90IGEgY2VydGlmaWNhdGU="))),
            new XElement(Ds + "Object",
                new XElement(Xades + "QualifyingProperties", new XAttribute("Target", "#xmldsig-test-signature"),
                    new XElement(Xades + "SignedProperties",
                        new XElement(Xades + "SignedSignatureProperties",
                            new XElement(Xades + "SigningTime", "2024-03-15T10:30:00-05:00"))))))));

    private static XElement Party(string role, DianParty party, string additionalAccountId) => new(Cac + role,
        new XElement(Cbc + "AdditionalAccountID", additionalAccountId),
        new XElement(Cac + "Party",
            new XElement(Cac + "PartyName", new XElement(Cbc + "Name", party.Name)),
            new XElement(Cac + "PhysicalLocation", Address()),
            new XElement(Cac + "PartyTaxScheme",
                new XElement(Cbc + "RegistrationName", party.Name),
                CompanyId(party),
                new XElement(Cbc + "TaxLevelCode", new XAttribute("listName", "48"), "O-13"),
                new XElement(Cac + "RegistrationAddress", Address().Elements()),
                new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "01"), new XElement(Cbc + "Name", "IVA"))),
            new XElement(Cac + "PartyLegalEntity",
                new XElement(Cbc + "RegistrationName", party.Name),
                CompanyId(party),
                new XElement(Cac + "CorporateRegistrationScheme", new XElement(Cbc + "ID", "SETP"))),
            new XElement(Cac + "Contact", new XElement(Cbc + "ElectronicMail", "facturacion@example.com.co"))));

    private static XElement EnvelopeParty(string role, DianParty party) => new(Cac + role,
        new XElement(Cac + "PartyTaxScheme",
            new XElement(Cbc + "RegistrationName", party.Name),
            CompanyId(party),
            new XElement(Cbc + "TaxLevelCode", new XAttribute("listName", "48"), "R-99-PN"),
            new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "01"), new XElement(Cbc + "Name", "IVA"))));

    private static XElement CompanyId(DianParty party) => new(Cbc + "CompanyID",
        new XAttribute("schemeAgencyID", "195"),
        new XAttribute("schemeAgencyName", "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"),
        party.CheckDigit is null ? null : new XAttribute("schemeID", party.CheckDigit),
        party.IdScheme is null ? null : new XAttribute("schemeName", party.IdScheme),
        party.Id);

    private static XElement Address() => new(Cac + "Address",
        new XElement(Cbc + "ID", "11001"),
        new XElement(Cbc + "CityName", "Bogotá, D.C."),
        new XElement(Cbc + "CountrySubentity", "Bogotá"),
        new XElement(Cbc + "CountrySubentityCode", "11"),
        new XElement(Cac + "AddressLine", new XElement(Cbc + "Line", "Carrera 8 # 6C-38")),
        new XElement(Cac + "Country", new XElement(Cbc + "IdentificationCode", "CO"),
            new XElement(Cbc + "Name", new XAttribute("languageID", "es"), "Colombia")));

    private XElement AllowanceCharge(bool isCharge, string reason, decimal amount) => new(Cac + "AllowanceCharge",
        new XElement(Cbc + "ID", isCharge ? "2" : "1"),
        new XElement(Cbc + "ChargeIndicator", isCharge ? "true" : "false"),
        isCharge ? null : new XElement(Cbc + "AllowanceChargeReasonCode", "11"),
        new XElement(Cbc + "AllowanceChargeReason", reason),
        new XElement(Cbc + "MultiplierFactorNumeric", "100"),
        Money("Amount", amount),
        Money("BaseAmount", amount));

    private XElement TaxGroup(string element, IReadOnlyList<DianTax> subtotals) => new(Cac + element,
        Money("TaxAmount", subtotals.Sum(tax => tax.Amount)),
        subtotals.Select(Subtotal));

    private XElement Subtotal(DianTax tax)
    {
        var perUnit = tax.Rate is null ? PerUnitOf(tax.Scheme) : null;
        return new XElement(Cac + "TaxSubtotal",
            Money("TaxableAmount", tax.Base),
            Money("TaxAmount", tax.Amount),
            perUnit is { } pesos ? new XElement(Cbc + "BaseUnitMeasure", new XAttribute("unitCode", "94"), Decimal(tax.Amount / pesos)) : null,
            perUnit is { } each ? Money("PerUnitAmount", each) : null,
            new XElement(Cac + "TaxCategory",
                tax.Rate is { } rate ? new XElement(Cbc + "Percent", Decimal(rate)) : null,
                new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", tax.Scheme), new XElement(Cbc + "Name", tax.Name))));
    }

    private decimal? PerUnitOf(string scheme) =>
        Lines.SelectMany(line => line.Taxes).FirstOrDefault(tax => tax.Scheme == scheme && tax.PerUnit is not null)?.PerUnit ?? 1m;

    private XElement MonetaryTotal()
    {
        var totals = WrittenTotals;
        return new XElement(Cac + (Kind == DianDocumentKind.DebitNote ? "RequestedMonetaryTotal" : "LegalMonetaryTotal"),
            Money("LineExtensionAmount", totals.LineExtension),
            Money("TaxExclusiveAmount", totals.TaxExclusive),
            Money("TaxInclusiveAmount", totals.TaxInclusive),
            totals.Allowances == 0 ? null : Money("AllowanceTotalAmount", totals.Allowances),
            totals.Charges == 0 ? null : Money("ChargeTotalAmount", totals.Charges),
            totals.Prepaid == 0 ? null : Money("PrepaidAmount", totals.Prepaid),
            totals.Rounding == 0 ? null : Money("PayableRoundingAmount", totals.Rounding),
            Money("PayableAmount", totals.Payable));
    }

    private XElement Line(DianXmlLine line, int number)
    {
        var (element, quantity) = Kind switch
        {
            DianDocumentKind.CreditNote => ("CreditNoteLine", "CreditedQuantity"),
            DianDocumentKind.DebitNote => ("DebitNoteLine", "DebitedQuantity"),
            _ => ("InvoiceLine", "InvoicedQuantity"),
        };
        return new XElement(Cac + element,
            new XElement(Cbc + "ID", number),
            new XElement(Cbc + quantity, new XAttribute("unitCode", "94"), Decimal(line.Quantity)),
            Money("LineExtensionAmount", line.Amount),
            line.Taxes.Select(tax => tax.On(line)).Select(tax => TaxGroup("TaxTotal", [tax])),
            new XElement(Cac + "Item",
                new XElement(Cbc + "Description", line.Description),
                new XElement(Cac + "StandardItemIdentification",
                    new XElement(Cbc + "ID", new XAttribute("schemeID", "999"), string.Create(CultureInfo.InvariantCulture, $"SKU-{number:000}")))),
            new XElement(Cac + "Price",
                Money("PriceAmount", line.UnitPrice),
                new XElement(Cbc + "BaseQuantity", new XAttribute("unitCode", "94"), "1.00")));
    }

    private List<DianTax> DefaultWithholdings()
    {
        var lines = Lines.Sum(line => line.Amount);
        var iva = WrittenTaxes.Where(tax => tax.Scheme == "01").Sum(tax => tax.Amount);
        DianTax Withheld(string scheme, string name, decimal rate, decimal taxBase) =>
            new(scheme, name, rate, taxBase, Math.Round(taxBase * rate / 100m, 2, MidpointRounding.AwayFromZero));
        return new[]
        {
            Withheld("06", "ReteRenta", 2.5m, lines),
            Withheld("05", "ReteIVA", 15m, iva),
            Withheld("07", "ReteICA", 0.414m, lines),
        }.Where(tax => tax.Base != 0).ToList();
    }

    private static XElement ExternalReference(string text) => new(Cac + "ExternalReference",
        new XElement(Cbc + "MimeCode", "text/xml"),
        new XElement(Cbc + "EncodingCode", "UTF-8"),
        new XElement(Cbc + "Description", new XCData(text)));

    // What DIAN answers when it validates the document: another signed UBL document, which a reader must not take for it.
    private string ApplicationResponseText()
    {
        var response = new XElement(ApplicationResponseNs + "ApplicationResponse",
            Namespaces(),
            SignatureExtensions(),
            new XElement(Cbc + "UBLVersionID", "UBL 2.1"),
            new XElement(Cbc + "CustomizationID", "1"),
            new XElement(Cbc + "ProfileID", "DIAN 2.1"),
            new XElement(Cbc + "ProfileExecutionID", "2"),
            new XElement(Cbc + "ID", "AR" + Number),
            new XElement(Cbc + "UUID", new XAttribute("schemeName", "CUDE-SHA384"), CufeOf("response" + Number)),
            new XElement(Cbc + "IssueDate", Date(IssueDate)),
            new XElement(Cbc + "IssueTime", "10:31:02-05:00"),
            EnvelopeParty("SenderParty", new DianParty("Unidad Especial Dirección de Impuestos y Aduanas Nacionales", "800197268", "4", "31")),
            EnvelopeParty("ReceiverParty", Supplier),
            new XElement(Cac + "DocumentResponse",
                new XElement(Cac + "Response",
                    new XElement(Cbc + "ResponseCode", "02"),
                    new XElement(Cbc + "Description", "Documento validado por la DIAN")),
                new XElement(Cac + "DocumentReference",
                    new XElement(Cbc + "ID", Number),
                    new XElement(Cbc + "UUID", new XAttribute("schemeName", "CUFE-SHA384"), WrittenCufe))));
        return Encoding.UTF8.GetString(Serialize(new XDocument(new XDeclaration("1.0", "UTF-8", "no"), response)));
    }

    private XElement Money(string name, decimal amount) => new(Cbc + name, new XAttribute("currencyID", Currency), Decimal(amount));

    private static string Decimal(decimal value) => value.ToString("0.00####", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static byte[] Serialize(XDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            document.Save(writer);
        }
        return buffer.ToArray();
    }
}
