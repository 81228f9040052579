using InvoiceApi.Tools.Emulator;
using Invoices;

namespace InvoiceApi.Tests.Tools;

/// <summary>
/// The seed's DIAN documents, read by the Invoices function's own reader and rules without starting anything: every one
/// parses as the real format does, adds up, carries valid NITs and becomes a valid invoice, so the seed's uploads (which
/// fail it loudly when refused) are accepted. <see cref="EmulatorRunTests"/> proves they are in the database.
/// </summary>
public sealed class EmulatorDemoDocumentsTests
{
    private static readonly DateOnly Today = DemoInvoiceGenerator.Today();

    [Fact]
    public void The_emulators_check_digit_is_DIANs_for_every_demo_NIT()
    {
        var bases = DemoSuppliers.All.Select(supplier => supplier.NitBase).OfType<string>().Append(DemoDocument.BuyerNitBase).Append("213123432");

        Assert.All(bases, nitBase => Assert.Equal(Nit.CheckDigit(nitBase), DemoNit.CheckDigit(nitBase)));
        Assert.Equal("900123456-8", DemoNit.Normalized("900123456"));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(240)]
    [InlineData(1_600)]
    public void Every_planned_document_is_read_by_the_real_intake_and_becomes_a_valid_invoice(int count)
    {
        var invoices = DemoInvoiceGenerator.Generate(LocalCallers.BusinessAccount, count, Today);
        var documents = DemoDocuments.Plan(invoices);
        var validator = new InvoiceDraftValidator(TimeProvider.System);

        Assert.Equal(count / 10, documents.Count);
        foreach (var (position, planned) in documents)
        {
            var (body, contentType) = DianDocumentWriter.Upload(planned);
            var upload = DianUploadReader.Read(body, "upload");
            Assert.Null(upload.Refusal);
            var file = Assert.Single(upload.Files);
            Assert.True(file.Refusal is null, $"{planned.Number}: {file.Refusal}");
            Assert.Equal(planned.Zipped ? ("application/zip", 1) : ("application/xml", 0), (contentType, upload.SkippedEntries));
            var read = file.Document!;
            Assert.Equal((planned.Number, planned.Cufe, planned.Date, planned.Payable), (read.Number, read.Cufe, read.IssueDate, read.Totals.Payable));
            Assert.Equal(DemoDocument.BuyerNitBase, read.Buyer.Id);
            Assert.Equal(planned.Corrects?.Cufe, read.ReferencedCufe);
            Assert.True(planned.Date >= invoices[position].Date && planned.Date <= Today);

            var draft = DocumentDraft.From(read, "Office supplies");
            Assert.Empty(InvoiceInput.Errors(draft, new Dictionary<string, IReadOnlyList<string>>(), validator));
        }
    }

    [Fact]
    public void A_business_book_gets_invoices_credit_notes_that_correct_earlier_ones_a_debit_note_and_every_kind_of_tax()
    {
        var documents = DemoDocuments.Plan(DemoInvoiceGenerator.Generate(LocalCallers.BusinessAccount, 1_600, Today)).Values.ToList();

        var credits = documents.Where(document => document.Kind == DemoDocumentKind.CreditNote).ToList();
        Assert.True(credits.Count >= 3, $"{credits.Count} credit notes");
        Assert.Single(documents, document => document.Kind == DemoDocumentKind.DebitNote);
        Assert.All(documents.Where(document => document.Kind != DemoDocumentKind.Invoice), note =>
        {
            Assert.Contains(note.Corrects!, documents);
            Assert.Equal(note.Supplier, note.Corrects!.Supplier);
            Assert.True(note.Corrects.Date <= note.Date);
        });
        Assert.Contains(credits, note => note.Subtotal == note.Corrects!.Subtotal);
        Assert.Contains(credits, note => note.Subtotal < note.Corrects!.Subtotal);
        var taxes = documents.SelectMany(document => document.Taxes).Select(tax => (tax.Scheme, tax.Rate)).ToHashSet();
        Assert.Superset(new HashSet<(string, decimal)> { ("01", 19m), ("01", 5m), ("04", 8m) }, taxes);
        var withholdings = documents.SelectMany(document => document.Withholdings).Select(tax => (tax.Scheme, tax.Rate)).ToHashSet();
        Assert.Contains(("06", 2.5m), withholdings);
        Assert.Contains(withholdings, withholding => withholding.Scheme == "07");
        Assert.InRange(documents.Count(document => document.Zipped), documents.Count / 4, documents.Count * 3 / 4);
        Assert.Equal(documents.Count, documents.Select(document => document.Cufe).Distinct().Count());
    }
}
