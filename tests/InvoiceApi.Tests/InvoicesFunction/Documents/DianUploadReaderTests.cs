using System.Buffers.Binary;
using System.Text;
using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction.Documents;

/// <summary>Opening an upload: one XML, or a ZIP of XMLs and PDFs; and the ZIPs refused as a whole.</summary>
public sealed class DianUploadReaderTests
{
    [Fact]
    public void A_bare_xml_upload_is_one_file_named_as_the_upload()
    {
        var xml = DianXml.Invoice().ToAttachedDocument();

        var upload = DianUploadReader.Read(xml, "ad0900123456.xml");

        Assert.Null(upload.Refusal);
        Assert.Equal(0, upload.SkippedEntries);
        var file = Assert.Single(upload.Files);
        Assert.Equal("ad0900123456.xml", file.Name);
        Assert.Equal(xml, file.Xml);
        Assert.Null(file.Refusal);
        Assert.Equal("SETP990000001", file.Document!.Number);
    }

    [Fact]
    public void Xml_after_a_byte_order_mark_is_read()
    {
        byte[] xml = [0xEF, 0xBB, 0xBF, .. DianXml.Invoice().ToXml()];

        var upload = DianUploadReader.Read(xml, "factura.xml");

        Assert.Null(upload.Refusal);
        Assert.Equal(xml, Assert.Single(upload.Files).Xml);
        Assert.NotNull(upload.Files[0].Document);
    }

    [Fact]
    public void Xml_after_whitespace_is_xml_but_a_declaration_after_whitespace_is_not_well_formed()
    {
        var text = DianXml.Invoice().ToXmlText();
        var withoutDeclaration = text[(text.IndexOf("?>", StringComparison.Ordinal) + 2)..];
        byte[] indented = [.. "\r\n  "u8, .. Encoding.UTF8.GetBytes(withoutDeclaration)];
        byte[] indentedDeclaration = [0xEF, 0xBB, 0xBF, .. "\r\n  "u8, .. DianXml.Invoice().ToXml()];

        var bare = DianUploadReader.Read(indented, "factura.xml");
        var declared = DianUploadReader.Read(indentedDeclaration, "factura.xml");

        Assert.NotNull(Assert.Single(bare.Files).Document);
        Assert.Null(declared.Refusal);
        Assert.StartsWith("The XML is not well-formed: ", Assert.Single(declared.Files).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_bare_xml_is_a_refused_file_not_a_refused_upload()
    {
        var upload = DianUploadReader.Read("<factura/>"u8.ToArray(), "factura.xml");

        Assert.Null(upload.Refusal);
        var file = Assert.Single(upload.Files);
        Assert.Null(file.Document);
        Assert.NotNull(file.Refusal);
    }

    [Theory]
    [InlineData("%PDF-1.4 ...")]
    [InlineData("{\"number\": \"FE1\"}")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("PK\u0005\u0006")]
    public void Anything_but_xml_or_a_zip_is_refused(string body)
    {
        var upload = DianUploadReader.Read(Encoding.UTF8.GetBytes(body), "upload.bin");

        Assert.Equal(DianUploadReader.NotDianMessage, upload.Refusal);
        Assert.Empty(upload.Files);
    }

    [Fact]
    public void A_zip_of_several_documents_and_pdfs_reads_the_xml_in_order_and_counts_the_rest()
    {
        var invoice = DianXml.Invoice().ToAttachedDocument();
        var creditNote = DianXml.CreditNote().ToXml();
        var debitNote = DianXml.DebitNote().ToAttachedDocument();
        var zip = DianXml.Zip(
            ("ad0900123456000240000001.xml", invoice),
            ("ad0900123456000240000001.pdf", DianXml.Pdf()),
            ("notas/", []),
            ("notas/nc0900123456000240000001.XML", creditNote),
            ("notas/nc0900123456000240000001.pdf", DianXml.Pdf("Nota crédito")),
            ("anexos.zip", DianXml.Zip(("otra.xml", invoice))),
            ("ad0900123456000240000002.xml", debitNote));

        var upload = DianUploadReader.Read(zip, "correo.zip");

        Assert.Null(upload.Refusal);
        Assert.Equal(3, upload.SkippedEntries);
        Assert.Equal(["ad0900123456000240000001.xml", "notas/nc0900123456000240000001.XML", "ad0900123456000240000002.xml"],
            upload.Files.Select(file => file.Name));
        Assert.Equal([invoice, creditNote, debitNote], upload.Files.Select(file => file.Xml));
        Assert.Equal([DianDocumentKind.Invoice, DianDocumentKind.CreditNote, DianDocumentKind.DebitNote],
            upload.Files.Select(file => file.Document!.Kind));
        Assert.All(upload.Files, file => Assert.Null(file.Refusal));
    }

    [Fact]
    public void A_bad_document_in_a_zip_is_refused_on_its_own()
    {
        var zip = DianXml.Zip(
            ("buena.xml", DianXml.Invoice().ToXml()),
            ("mala.xml", (DianXml.Invoice() with { Number = "SETP990000002", Supplier = DianXml.DefaultSupplier with { CheckDigit = "7" } }).ToXml()));

        var upload = DianUploadReader.Read(zip, "correo.zip");

        Assert.Null(upload.Refusal);
        Assert.NotNull(upload.Files[0].Document);
        Assert.Null(upload.Files[1].Document);
        Assert.Contains("the document says 7, DIAN's algorithm gives 8", upload.Files[1].Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_without_xml_is_refused()
    {
        var upload = DianUploadReader.Read(DianXml.Zip(("factura.pdf", DianXml.Pdf()), ("carpeta/", [])), "correo.zip");

        Assert.Equal(DianUploadReader.NoXmlMessage, upload.Refusal);
    }

    [Fact]
    public void A_zip_that_cannot_be_read_is_refused()
    {
        byte[] broken = [.. "PK\u0003\u0004"u8, .. new byte[200]];

        var upload = DianUploadReader.Read(broken, "correo.zip");

        Assert.StartsWith("The ZIP cannot be read", upload.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_is_refused_naming_the_limit()
    {
        var zip = DianXml.Zip(("factura.xml", new byte[60 * 1024 * 1024]));

        var upload = DianUploadReader.Read(zip, "bomba.zip");

        Assert.Equal("The ZIP entry \"factura.xml\" expands beyond 5 MiB, the most an XML document may be; the ZIP is refused.", upload.Refusal);
        Assert.Empty(upload.Files);
    }

    [Fact]
    public void An_entry_is_never_read_beyond_the_size_its_header_states()
    {
        var zip = DianXml.Zip(("factura.xml", new byte[1024 * 1024]));
        StateUncompressedSize(zip, 100);

        var upload = DianUploadReader.Read(zip, "bomba.zip");

        // .NET's entry stream ends at the stated size; the reader's own cap would refuse the whole ZIP if it did not.
        Assert.True(upload.Refusal is not null || upload.Files.All(file => file.Xml.Length <= 100 && file.Document is null));
    }

    [Fact]
    public void Entries_that_expand_beyond_the_total_limit_together_are_refused()
    {
        var entries = Enumerable.Range(1, 11).Select(i => ($"factura{i}.xml", new byte[DianUploadReader.MaxXmlBytes])).ToArray();

        var upload = DianUploadReader.Read(DianXml.Zip(entries), "bomba.zip");

        Assert.Equal("The ZIP's XML entries expand beyond 50 MiB together, the most one upload may hold; the ZIP is refused.", upload.Refusal);
    }

    [Fact]
    public void A_zip_of_more_than_100_entries_is_refused()
    {
        var entries = Enumerable.Range(1, 101).Select(i => ($"f{i}.pdf", DianXml.Pdf())).ToArray();

        var upload = DianUploadReader.Read(DianXml.Zip(entries), "correo.zip");

        Assert.Equal("The ZIP holds 101 entries; at most 100 are read. Upload the documents in several ZIPs.", upload.Refusal);
    }

    [Fact]
    public void A_zip_of_100_entries_is_read()
    {
        var entries = Enumerable.Range(1, 99).Select(i => ($"f{i}.pdf", DianXml.Pdf())).Append(("factura.xml", DianXml.Invoice().ToXml())).ToArray();

        var upload = DianUploadReader.Read(DianXml.Zip(entries), "correo.zip");

        Assert.Null(upload.Refusal);
        Assert.Equal(99, upload.SkippedEntries);
    }

    [Theory]
    [InlineData("../evil.xml")]
    [InlineData("facturas/../../evil.xml")]
    [InlineData("facturas\\..\\evil.xml")]
    [InlineData("/etc/passwd.xml")]
    [InlineData("\\evil.xml")]
    [InlineData("C:\\x.xml")]
    [InlineData("C:x.pdf")]
    public void An_entry_with_an_unsafe_name_is_refused_naming_it(string name)
    {
        var zip = DianXml.Zip(("factura.xml", DianXml.Invoice().ToXml()), (name, DianXml.Pdf()));

        var upload = DianUploadReader.Read(zip, "correo.zip");

        Assert.StartsWith($"The ZIP entry \"{name}\" has an unsafe name", upload.Refusal, StringComparison.Ordinal);
        Assert.Empty(upload.Files);
    }

    [Fact]
    public void A_name_with_two_dots_that_is_no_folder_step_is_safe()
    {
        var upload = DianUploadReader.Read(DianXml.Zip(("factura..v2.xml", DianXml.Invoice().ToXml())), "correo.zip");

        Assert.Null(upload.Refusal);
    }

    // Makes the ZIP's headers (local and central) claim the first entry inflates to `size` bytes.
    private static void StateUncompressedSize(byte[] zip, uint size)
    {
        var local = zip.AsSpan().IndexOf("PK\u0003\u0004"u8);
        var central = zip.AsSpan().IndexOf("PK\u0001\u0002"u8);
        Assert.True(local >= 0 && central > local);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(local + 22), size);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(central + 24), size);
    }
}
