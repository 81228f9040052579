using System.Text;
using System.Xml.Linq;
using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction.Documents;

/// <summary>Reading a supplier's DIAN document, bare or in its AttachedDocument, and every reason to refuse one.</summary>
public sealed class DianDocumentReaderTests
{
    private static readonly DianTax[] DefaultTaxes =
    [
        new("01", "IVA", 19m, 1_000_000.00m, 190_000.00m),
        new("01", "IVA", 5m, 125_000.00m, 6_250.00m),
        new("03", "ICA", 0.966m, 1_000_000.00m, 9_660.00m),
        new("04", "INC", 8m, 100_000.00m, 8_000.00m),
        new("22", "INC Bolsas", null, 0m, 132.00m),
    ];

    private static readonly DianTax[] DefaultWithholdings =
    [
        new("06", "ReteRenta", 2.5m, 1_225_200.00m, 30_630.00m),
        new("05", "ReteIVA", 15m, 196_250.00m, 29_437.50m),
        new("07", "ReteICA", 0.414m, 1_225_200.00m, 5_072.33m),
    ];

    [Fact]
    public void An_attached_document_with_an_invoice_reads_every_field()
    {
        var document = Read(DianXml.Invoice().ToAttachedDocument());

        Assert.Equal(DianDocumentKind.Invoice, document.Kind);
        Assert.Equal("SETP990000001", document.Number);
        Assert.Equal(DianXml.CufeOf("SETP990000001"), document.Cufe);
        Assert.Equal(new DateOnly(2024, 3, 15), document.IssueDate);
        Assert.Equal(new DateOnly(2024, 4, 14), document.DueDate);
        Assert.Equal(new DianParty("Proveedora Andina de Servicios S.A.S.", "900123456", "8", "31"), document.Supplier);
        Assert.Equal(new DianParty("Compradora del Valle S.A.S.", "901210113", "3", "31"), document.Buyer);
        Assert.Equal("COP", document.Currency);
        Assert.Equal(new DianTotals(1_225_200.00m, 1_225_000.00m, 1_439_242.00m, 0m, 0m, 0m, 0m, 1_439_242.00m), document.Totals);
        Assert.Equal(DefaultTaxes, document.Taxes);
        Assert.Equal(DefaultWithholdings, document.Withholdings);
        Assert.Equal("42", document.PaymentMeansCode);
        Assert.Null(document.ReferencedNumber);
        Assert.Null(document.ReferencedCufe);
        Assert.Equal("Factura de servicios de consultoría, marzo de 2024.", document.Note);
    }

    [Fact]
    public void A_bare_invoice_reads_as_its_attached_document_does()
    {
        var invoice = DianXml.Invoice();

        var bare = Read(invoice.ToXml());
        var attached = Read(invoice.ToAttachedDocument());

        var none = Array.Empty<DianTax>();
        Assert.Equal(attached with { Taxes = none, Withholdings = none }, bare with { Taxes = none, Withholdings = none });
        Assert.Equal(attached.Taxes, bare.Taxes);
        Assert.Equal(attached.Withholdings, bare.Withholdings);
    }

    [Fact]
    public void Line_level_taxes_are_not_counted()
    {
        var xml = DianXml.Invoice().ToXml();
        var lineTaxTotals = XDocument.Load(new MemoryStream(xml)).Descendants(DianXml.Cac + "InvoiceLine").Elements(DianXml.Cac + "TaxTotal").Count();

        var document = Read(xml);

        Assert.Equal(5, lineTaxTotals);
        Assert.Equal(5, document.Taxes.Count);
        Assert.Equal(214_042.00m, document.Taxes.Sum(tax => tax.Amount));
    }

    [Fact]
    public void A_credit_note_reads_its_billing_reference()
    {
        var document = Read(DianXml.CreditNote().ToAttachedDocument());

        Assert.Equal(DianDocumentKind.CreditNote, document.Kind);
        Assert.Equal("NC1001", document.Number);
        Assert.Equal(DianXml.CufeOf("NC1001"), document.Cufe);
        Assert.Equal(new DateOnly(2024, 3, 20), document.IssueDate);
        Assert.Null(document.DueDate);
        Assert.Equal("SETP990000001", document.ReferencedNumber);
        Assert.Equal(DianXml.CufeOf("SETP990000001"), document.ReferencedCufe);
        Assert.Equal(new DianTotals(25_000.00m, 25_000.00m, 26_250.00m, 0m, 0m, 0m, 0m, 26_250.00m), document.Totals);
        Assert.Equal([new DianTax("01", "IVA", 5m, 25_000.00m, 1_250.00m)], document.Taxes);
        Assert.Equal("Devolución de 2 resmas de papel.", document.Note);
    }

    [Fact]
    public void A_debit_note_reads_its_requested_monetary_total()
    {
        var document = Read(DianXml.DebitNote().ToXml());

        Assert.Equal(DianDocumentKind.DebitNote, document.Kind);
        Assert.Equal("ND2001", document.Number);
        Assert.Equal(new DianTotals(50_000.00m, 50_000.00m, 59_500.00m, 0m, 0m, 0m, 0m, 59_500.00m), document.Totals);
        Assert.Equal(new DateOnly(2024, 5, 17), document.DueDate);
        Assert.Equal("SETP990000001", document.ReferencedNumber);
        Assert.Equal(DianXml.CufeOf("SETP990000001"), document.ReferencedCufe);
    }

    [Fact]
    public void A_debit_note_with_a_legal_monetary_total_instead_is_refused()
    {
        var xml = DianXml.DebitNote() with
        {
            Edit = root => Ubl.Find(root, "cac:RequestedMonetaryTotal")!.Name = DianXml.Cac + "LegalMonetaryTotal",
        };

        Assert.Contains("cac:RequestedMonetaryTotal/cbc:PayableAmount", Refusal(xml.ToXml()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_without_a_billing_reference_is_accepted_without_one()
    {
        var document = Read((DianXml.CreditNote() with { ReferencedNumber = null, ReferencedCufe = null }).ToXml());

        Assert.Null(document.ReferencedNumber);
        Assert.Null(document.ReferencedCufe);
    }

    [Fact]
    public void The_due_date_falls_back_to_the_payment_due_date()
    {
        var document = Read((DianXml.Invoice() with { DueDate = null, PaymentDueDate = new DateOnly(2024, 5, 1) }).ToXml());

        Assert.Equal(new DateOnly(2024, 5, 1), document.DueDate);
    }

    [Fact]
    public void Without_due_dates_or_payment_means_those_fields_are_null()
    {
        var document = Read((DianXml.Invoice() with { DueDate = null, PaymentDueDate = null, PaymentMeansCode = null, Note = null }).ToXml());

        Assert.Null(document.DueDate);
        Assert.Null(document.PaymentMeansCode);
        Assert.Null(document.Note);
    }

    [Fact]
    public void An_upper_case_cufe_is_read_in_lower_case()
    {
        var cufe = DianXml.CufeOf("X");

        var document = Read((DianXml.Invoice() with { Cufe = cufe.ToUpperInvariant() }).ToXml());

        Assert.Equal(cufe, document.Cufe);
    }

    [Fact]
    public void Allowances_charges_prepaid_and_rounding_are_read_and_add_up()
    {
        var document = Read((DianXml.Invoice() with { Allowances = 10_000.00m, Charges = 5_000.00m, Prepaid = 100_000.00m, Rounding = 0.50m }).ToXml());

        Assert.Equal(new DianTotals(1_225_200.00m, 1_225_000.00m, 1_439_242.00m, 10_000.00m, 5_000.00m, 100_000.00m, 0.50m, 1_334_242.50m),
            document.Totals);
    }

    [Fact]
    public void A_document_in_dollars_reads_its_currency()
    {
        var document = Read((DianXml.Invoice() with { Currency = "USD" }).ToXml());

        Assert.Equal("USD", document.Currency);
    }

    [Fact]
    public void The_supplier_name_falls_back_to_the_legal_entity_and_then_the_party_name()
    {
        static Action<XElement> RemoveNames(params string[] paths) => root =>
        {
            foreach (var path in paths)
            {
                Ubl.Find(root, "cac:AccountingSupplierParty/cac:Party/" + path)!.Remove();
            }
        };
        var invoice = DianXml.Invoice() with { Supplier = DianXml.DefaultSupplier with { Name = "Proveedora Andina" } };

        var legal = Read((invoice with { Edit = RemoveNames("cac:PartyTaxScheme/cbc:RegistrationName") }).ToXml());
        var partyName = Read((invoice with { Edit = RemoveNames("cac:PartyTaxScheme/cbc:RegistrationName", "cac:PartyLegalEntity/cbc:RegistrationName") }).ToXml());

        Assert.Equal("Proveedora Andina", legal.Supplier.Name);
        Assert.Equal("Proveedora Andina", partyName.Supplier.Name);
    }

    [Fact]
    public void A_buyer_with_a_citizen_id_card_has_no_check_digit()
    {
        var document = Read((DianXml.Invoice() with { Buyer = new DianParty("María Pérez", "1020304050", null, "13") }).ToXml());

        Assert.Equal(new DianParty("María Pérez", "1020304050", null, "13"), document.Buyer);
    }

    [Fact]
    public void A_nit_without_check_digit_is_accepted_as_written()
    {
        var document = Read((DianXml.Invoice() with { Buyer = DianXml.DefaultBuyer with { CheckDigit = null } }).ToXml());

        Assert.Null(document.Buyer.CheckDigit);
    }

    [Fact]
    public void The_note_is_trimmed_and_cut_to_2000_characters()
    {
        var document = Read((DianXml.Invoice() with { Note = "  " + new string('n', 3000) + "  " }).ToXml());

        Assert.Equal(new string('n', DianDocumentReader.MaxNoteLength), document.Note);
    }

    [Fact]
    public void Withholdings_written_in_a_tax_total_are_withholdings_and_not_added_to_the_taxes()
    {
        var xml = DianXml.Invoice() with
        {
            Edit = root =>
            {
                foreach (var group in root.Elements(DianXml.Cac + "WithholdingTaxTotal").ToList())
                {
                    group.Name = DianXml.Cac + "TaxTotal";
                }
            },
        };

        var document = Read(xml.ToXml());

        Assert.Equal(DefaultTaxes, document.Taxes);
        Assert.Equal(DefaultWithholdings, document.Withholdings);
    }

    [Fact]
    public void The_dian_application_response_is_not_taken_for_the_document()
    {
        var document = Read(DianXml.Invoice().ToAttachedDocument());

        Assert.Equal("SETP990000001", document.Number);
        Assert.NotEqual(DianXml.CufeOf("responseSETP990000001"), document.Cufe);
    }

    [Fact]
    public void An_attached_document_carrying_no_invoice_is_refused()
    {
        var response = """
            <ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
              xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>1</cbc:ID></ApplicationResponse>
            """;

        Assert.Contains("carries <ApplicationResponse> (namespace urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2), not an Invoice", Refusal(DianXml.Invoice().ToAttachedDocument(embeddedXml: response)), StringComparison.Ordinal);
        Assert.Contains("carries no document", Refusal(DianXml.Invoice().ToAttachedDocument(embeddedXml: "   ")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<ApplicationResponse xmlns='urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2'/>", "<ApplicationResponse> (namespace")]
    [InlineData("<factura><numero>1</numero></factura>", "<factura> (without namespace)")]
    [InlineData("<Invoice xmlns='urn:example:not-ubl'/>", "<Invoice> (namespace urn:example:not-ubl)")]
    public void An_unknown_root_is_refused(string xml, string named)
    {
        var refusal = Refusal(Encoding.UTF8.GetBytes(xml));

        Assert.Contains(named, refusal, StringComparison.Ordinal);
        Assert.Contains("expected a DIAN Invoice, CreditNote or DebitNote", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cbc:ID", "cbc:ID (the document's number)")]
    [InlineData("cbc:UUID", "cbc:UUID (the CUFE)")]
    [InlineData("cbc:IssueDate", "cbc:IssueDate.")]
    [InlineData("cbc:DocumentCurrencyCode", "cbc:DocumentCurrencyCode (the currency of its amounts)")]
    [InlineData("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID",
        "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID (the supplier's NIT)")]
    [InlineData("cac:LegalMonetaryTotal/cbc:PayableAmount", "cac:LegalMonetaryTotal/cbc:PayableAmount (the amount to pay)")]
    [InlineData("cac:LegalMonetaryTotal", "cac:LegalMonetaryTotal/cbc:PayableAmount (the amount to pay)")]
    [InlineData("cac:TaxTotal/cbc:TaxAmount", "cac:TaxTotal/cbc:TaxAmount.")]
    [InlineData("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID",
        "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID (the tribute's code, 01 for IVA)")]
    public void A_missing_required_element_is_refused_by_name(string removed, string named)
    {
        var xml = DianXml.Invoice() with { Edit = root => Ubl.Find(root, removed)!.Remove() };

        Assert.Equal("The document has no " + named.TrimEnd('.') + ".", Refusal(xml.ToXml()));
    }

    [Fact]
    public void A_supplier_without_any_name_is_refused()
    {
        var xml = DianXml.Invoice() with { Supplier = DianXml.DefaultSupplier with { Name = " " } };

        Assert.Contains("no supplier name", Refusal(xml.ToXml()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cbc:IssueDate", "15/03/2024")]
    [InlineData("cbc:IssueDate", "2024-02-30")]
    [InlineData("cbc:DueDate", "mañana")]
    [InlineData("cac:PaymentMeans/cbc:PaymentDueDate", "2024-4-14")]
    public void A_bad_date_is_refused(string path, string value)
    {
        var xml = DianXml.Invoice() with { Edit = root => Ubl.Find(root, path)!.Value = value };

        Assert.Equal($"{path} must be a date written YYYY-MM-DD (for example 2024-03-31); found '{value}'.", Refusal(xml.ToXml()));
    }

    [Theory]
    [InlineData("1.439.242,00")]
    [InlineData("1439242,00")]
    [InlineData("1.439242e6")]
    [InlineData("$1439242")]
    [InlineData("")]
    public void An_amount_that_is_no_invariant_decimal_is_refused(string value)
    {
        var xml = DianXml.Invoice() with { Edit = root => Ubl.Find(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")!.Value = value };

        Assert.StartsWith("cac:LegalMonetaryTotal/cbc:PayableAmount must be a decimal number", Refusal(xml.ToXml()), StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_in_another_currency_or_without_one_is_refused()
    {
        var otherCurrency = DianXml.Invoice() with
        {
            Edit = root => Ubl.Find(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount")!.SetAttributeValue("currencyID", "USD"),
        };
        var noCurrency = DianXml.Invoice() with
        {
            Edit = root => Ubl.Find(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")!.SetAttributeValue("currencyID", null),
        };

        Assert.Equal("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount is in USD, but the document's currency (cbc:DocumentCurrencyCode) is COP.",
            Refusal(otherCurrency.ToXml()));
        Assert.Equal("cac:LegalMonetaryTotal/cbc:PayableAmount has no currencyID; every amount names its currency (COP).", Refusal(noCurrency.ToXml()));
    }

    [Fact]
    public void Amounts_too_large_to_compute_with_are_refused()
    {
        var xml = DianXml.Invoice() with
        {
            Edit = root => Ubl.Find(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount")!.Value = new string('9', 28),
        };

        Assert.Equal("The document's amounts are too large to add up (beyond 28 digits).", Refusal(xml.ToXml()));
    }

    [Fact]
    public void A_cufe_of_the_wrong_length_is_refused()
    {
        Assert.Equal("cbc:UUID must be the 96 hexadecimal characters of the CUFE; found 12 characters.",
            Refusal((DianXml.Invoice() with { Cufe = "abc123abc123" }).ToXml()));
        Assert.Equal("cbc:UUID must be the 96 hexadecimal characters of the CUDE; found 95 characters.",
            Refusal((DianXml.CreditNote() with { Cufe = DianXml.CufeOf("x")[1..] }).ToXml()));
    }

    [Fact]
    public void A_cufe_with_characters_that_are_not_hexadecimal_is_refused()
    {
        var refusal = Refusal((DianXml.Invoice() with { Cufe = "g" + DianXml.CufeOf("x")[1..] }).ToXml());

        Assert.Equal("cbc:UUID must be the 96 hexadecimal characters of the CUFE; found characters other than 0-9 and a-f.", refusal);
    }

    [Fact]
    public void A_wrong_supplier_check_digit_is_refused_naming_both_digits()
    {
        var refusal = Refusal((DianXml.Invoice() with { Supplier = DianXml.DefaultSupplier with { CheckDigit = "7" } }).ToAttachedDocument());

        Assert.Contains("The supplier's NIT check digit is wrong: for 900123456 the document says 7, DIAN's algorithm gives 8", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_buyer_check_digit_is_refused_naming_both_digits()
    {
        var refusal = Refusal((DianXml.Invoice() with { Buyer = DianXml.DefaultBuyer with { CheckDigit = "4" } }).ToXml());

        Assert.Contains("The buyer's NIT check digit is wrong: for 901210113 the document says 4, DIAN's algorithm gives 3", refusal, StringComparison.Ordinal);
        Assert.Contains("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("900.123.456", "8")]
    [InlineData("900123456-8", "8")]
    [InlineData("12345", "1")]
    [InlineData("900123456", "X")]
    public void A_malformed_nit_or_check_digit_is_refused(string id, string checkDigit)
    {
        var refusal = Refusal((DianXml.Invoice() with { Supplier = DianXml.DefaultSupplier with { Id = id, CheckDigit = checkDigit } }).ToXml());

        Assert.StartsWith("The supplier's NIT", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tax_inclusive_total_that_is_not_the_lines_plus_the_taxes_is_refused()
    {
        var invoice = DianXml.Invoice();
        var totals = invoice.WrittenTotals with { TaxInclusive = 1_439_243.00m, Payable = 1_439_243.00m };

        var refusal = Refusal((invoice with { Totals = totals }).ToXml());

        Assert.Equal("cbc:TaxInclusiveAmount is 1439243.00, but cbc:LineExtensionAmount 1225200.00 plus the taxes (the cac:TaxTotal amounts, 214042.00) is 1439242.00.",
            refusal);
    }

    [Fact]
    public void A_payable_amount_that_does_not_follow_from_the_total_is_refused()
    {
        var invoice = DianXml.Invoice() with { Allowances = 10_000.00m };
        var totals = invoice.WrittenTotals with { Payable = 1_439_242.00m };

        var refusal = Refusal((invoice with { Totals = totals }).ToXml());

        Assert.Equal("cbc:PayableAmount is 1439242.00, but cbc:TaxInclusiveAmount 1439242.00 - allowances 10000.00 + charges 0 - prepaid 0 + rounding 0 is 1429242.00.",
            refusal);
    }

    [Fact]
    public void A_payable_amount_a_cent_off_is_refused()
    {
        var invoice = DianXml.Invoice();

        Refusal((invoice with { Totals = invoice.WrittenTotals with { Payable = 1_439_242.01m } }).ToXml());
    }

    [Fact]
    public void A_tax_total_that_is_not_the_sum_of_its_subtotals_is_refused()
    {
        var xml = DianXml.Invoice() with { Edit = root => Ubl.Find(root, "cac:TaxTotal/cbc:TaxAmount")!.Value = "196000.00" };

        Assert.Equal("The cac:TaxTotal for IVA (01) says cbc:TaxAmount 196000.00, but its cac:TaxSubtotal amounts add up to 196250.00.",
            Refusal(xml.ToXml()));
    }

    [Fact]
    public void A_withholding_total_that_is_not_the_sum_of_its_subtotals_is_refused()
    {
        var xml = DianXml.Invoice() with { Edit = root => Ubl.Find(root, "cac:WithholdingTaxTotal/cbc:TaxAmount")!.Value = "1.00" };

        Assert.StartsWith("The cac:WithholdingTaxTotal for ReteRenta (06) says cbc:TaxAmount 1.00", Refusal(xml.ToXml()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_subtotal_that_is_not_its_percent_of_the_base_is_refused()
    {
        var invoice = DianXml.Invoice();
        var taxes = invoice.WrittenTaxes.Select(tax => tax.Rate == 19m ? tax with { Amount = 190_001.50m } : tax).ToList();

        var refusal = Refusal((invoice with { Taxes = taxes }).ToXml());

        Assert.Equal("The IVA (01) subtotal at 19.00 % says cbc:TaxAmount 190001.50, but 19.00 % of its cbc:TaxableAmount 1000000.00 is 190000.00 (a difference of more than 1.00 is refused).",
            refusal);
    }

    [Fact]
    public void A_subtotal_within_the_tolerance_of_its_percent_is_accepted()
    {
        var invoice = DianXml.Invoice();
        var taxes = invoice.WrittenTaxes.Select(tax => tax.Rate == 19m ? tax with { Amount = 190_001.00m } : tax).ToList();

        var document = Read((invoice with { Taxes = taxes }).ToXml());

        Assert.Equal(190_001.00m, document.Taxes[0].Amount);
    }

    [Fact]
    public void A_withholding_that_is_not_its_percent_of_the_base_is_refused()
    {
        var withholdings = new[] { new DianTax("06", "ReteRenta", 2.5m, 1_225_200.00m, 25_000.00m) };

        var refusal = Refusal((DianXml.Invoice() with { Withholdings = withholdings }).ToXml());

        Assert.StartsWith("The ReteRenta (06) subtotal at 2.50 % says cbc:TaxAmount 25000.00", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envelope_whose_parent_document_id_is_not_the_documents_number_is_refused()
    {
        var refusal = Refusal(DianXml.Invoice().ToAttachedDocument(parentDocumentId: "SETP990000002"));

        Assert.Equal("The AttachedDocument's cbc:ParentDocumentID is SETP990000002, but the document inside it is number SETP990000001.", refusal);
    }

    [Fact]
    public void An_envelope_whose_sender_is_not_the_supplier_is_refused()
    {
        var refusal = Refusal(DianXml.Invoice().ToAttachedDocument(senderCompanyId: "800197268"));

        Assert.Equal("The AttachedDocument's sender (cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID) is 800197268, but the document inside it is from supplier 900123456.",
            refusal);
    }

    [Fact]
    public void Malformed_xml_is_refused_with_its_line_and_position()
    {
        var xml = DianXml.Invoice().ToXmlText();
        var cut = Encoding.UTF8.GetBytes(xml[..(xml.Length / 2)]);

        var refusal = Refusal(cut);

        Assert.StartsWith("The XML is not well-formed: ", refusal, StringComparison.Ordinal);
        Assert.Contains("Line ", refusal, StringComparison.Ordinal);
        Assert.Contains("position ", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_xml_inside_the_envelope_is_refused()
    {
        var refusal = Refusal(DianXml.Invoice().ToAttachedDocument(embeddedXml: "<Invoice><cbc:ID>1</Invoice>"));

        Assert.StartsWith("The document inside the AttachedDocument is not well-formed: ", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_entity_is_refused_for_its_dtd()
    {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
              xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:Note>&secret;</cbc:Note></Invoice>
            """;

        var refusal = Refusal(Encoding.UTF8.GetBytes(xml));

        Assert.StartsWith("The XML declares a DTD", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_entity_inside_the_envelope_is_refused()
    {
        var embedded = """<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&secret;</Invoice>""";

        var refusal = Refusal(DianXml.Invoice().ToAttachedDocument(embeddedXml: embedded));

        Assert.StartsWith("The document inside the AttachedDocument declares a DTD", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_is_refused()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }
        var xml = $"<?xml version=\"1.0\"?><!DOCTYPE Invoice [{entities}]><Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">&lol9;</Invoice>";

        Assert.StartsWith("The XML declares a DTD", Refusal(Encoding.UTF8.GetBytes(xml)), StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_levels_of_nesting_are_refused()
    {
        var xml = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">"
            + string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000)) + "</Invoice>";

        var refusal = Refusal(Encoding.UTF8.GetBytes(xml));

        Assert.StartsWith("The XML nests elements more than 64 levels deep", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_inside_the_envelope_is_refused()
    {
        var embedded = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">"
            + string.Concat(Enumerable.Repeat("<a>", 1_000)) + string.Concat(Enumerable.Repeat("</a>", 1_000)) + "</Invoice>";

        var refusal = Refusal(DianXml.Invoice().ToAttachedDocument(embeddedXml: embedded));

        Assert.StartsWith("The document inside the AttachedDocument nests elements more than 64 levels deep", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_text_node_beyond_the_limit_is_refused()
    {
        var xml = (DianXml.Invoice() with { Note = new string('x', 6 * 1024 * 1024) }).ToXml();

        var refusal = Refusal(xml);

        Assert.Contains("a DIAN document is read up to 5,242,880 bytes (5 MiB)", refusal, StringComparison.Ordinal);
    }

    private static DianDocument Read(byte[] xml)
    {
        var (document, refusal) = DianDocumentReader.Read(xml);
        Assert.Null(refusal);
        return document!;
    }

    private static string Refusal(byte[] xml)
    {
        var (document, refusal) = DianDocumentReader.Read(xml);
        Assert.Null(document);
        Assert.NotNull(refusal);
        return refusal;
    }
}
