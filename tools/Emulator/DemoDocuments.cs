using System.Globalization;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Which of a book's demo invoices came in as DIAN electronic documents, and what those documents say: about one in ten
/// (at most <see cref="MaxDocuments"/>, so a large seed stays quick), from the Colombian suppliers that charge tax, half
/// of them zipped with their PDF. A few are credit notes, each annulling or partly returning an earlier document's
/// invoice, and one is a debit note charging what an earlier one left out. Each takes the place of the generated invoice
/// at its position (its date, recorder and status), so the book keeps its count. The same invoices give the same documents.
/// </summary>
internal static class DemoDocuments
{
    private const int OneIn = 10;
    internal const int MaxDocuments = 600;
    private const int CreditNoteOneIn = 8;
    private const double OtherRateShare = 0.35;
    private const double ZippedShare = 0.5;

    private static readonly Dictionary<string, DemoSupplier> SuppliersByName = DemoSuppliers.All.ToDictionary(supplier => supplier.Name, StringComparer.Ordinal);

    /// <summary>The documents, keyed by the position of the invoice each replaces; notes come after the invoice they correct.</summary>
    internal static IReadOnlyDictionary<int, DemoDocument> Plan(IReadOnlyList<DemoInvoice> invoices)
    {
        var random = new Random(invoices.Count);
        var eligible = Enumerable.Range(0, invoices.Count).Where(position => SendsDocuments(SuppliersByName[invoices[position].Provider])).ToList();
        var wanted = Math.Min(MaxDocuments, Math.Min(eligible.Count, invoices.Count / OneIn));
        var chosen = eligible.OrderBy(_ => random.Next()).Take(wanted).Order().ToList();
        var credits = wanted >= 4 ? Math.Max(1, wanted / CreditNoteOneIn) : 0;
        var debits = wanted >= 6 ? 1 : 0;
        // Notes spread over the whole period, never first: each needs an earlier invoice to correct.
        var notes = Enumerable.Range(0, credits + debits).ToDictionary(
            note => (note + 1) * wanted / (credits + debits + 1),
            note => note < credits ? DemoDocumentKind.CreditNote : DemoDocumentKind.DebitNote);
        var documents = new Dictionary<int, DemoDocument>();
        var invoiceDocuments = new List<(DemoDocument Document, DemoInvoice Invoice)>();
        for (var slot = 0; slot < chosen.Count; slot++)
        {
            var invoice = invoices[chosen[slot]];
            var zipped = random.NextDouble() < ZippedShare;
            var corrected = invoiceDocuments.LastOrDefault(earlier => earlier.Invoice.Status != "void").Document;
            if (notes.TryGetValue(slot, out var kind) && corrected is not null)
            {
                documents[chosen[slot]] = kind == DemoDocumentKind.CreditNote
                    ? CreditNote(corrected, invoice.Date, notes.Keys.Count(key => key <= slot), zipped)
                    : DebitNote(corrected, invoice.Date, zipped);
                continue;
            }
            var document = Invoice(random, invoice, zipped);
            documents[chosen[slot]] = document;
            invoiceDocuments.Add((document, invoice));
        }
        return documents;
    }

    /// <summary>A Colombian supplier that charges tax bills through DIAN's electronic invoicing.</summary>
    private static bool SendsDocuments(DemoSupplier supplier) => supplier is { Taxes: not null, Currency: "COP", NitBase: not null };

    // The generated invoice as its supplier's document: about the same total, split into the supplier's usual line and,
    // sometimes, an item at its other rate; pesos in hundreds, so every tax is a whole number of pesos.
    private static DemoDocument Invoice(Random random, DemoInvoice invoice, bool zipped)
    {
        var supplier = SuppliersByName[invoice.Provider];
        var profile = supplier.Taxes!;
        var subtotal = Math.Max(1_000m, Hundreds(invoice.Amount / (1 + (profile.Main.Rate / 100m))));
        var lines = new List<DemoLine>();
        if (profile.OtherRate is { } other && random.NextDouble() < OtherRateShare)
        {
            var otherAmount = Hundreds(subtotal * (decimal)(0.1 + (random.NextDouble() * 0.2)));
            if (otherAmount >= 100m)
            {
                lines.Add(Line(random, profile.OtherItem!, otherAmount, other, maxQuantity: 4));
                subtotal -= lines[0].Amount;
            }
        }
        lines.Insert(0, Line(random, invoice.Description, subtotal, profile.Main, maxQuantity: subtotal >= 1_000_000m ? 1 : 6));
        return new DemoDocument(DemoDocumentKind.Invoice, invoice.Number, invoice.Date, invoice.DueDate ?? invoice.Date, supplier, lines,
            invoice.Description, Corrects: null, zipped);
    }

    // Odd-numbered credit notes annul the invoice; the others return part of its first line (or annul it, when that
    // line is a single service).
    private static DemoDocument CreditNote(DemoDocument invoice, DateOnly date, int sequence, bool zipped)
    {
        var first = invoice.Lines[0];
        var partial = sequence % 2 == 0 && first.Quantity > 1;
        IReadOnlyList<DemoLine> lines = partial ? [first with { Description = $"Devolución: {first.Description}", Quantity = Math.Floor(first.Quantity / 2) }] : invoice.Lines;
        var note = partial
            ? string.Create(CultureInfo.InvariantCulture, $"Devolución parcial de {lines[0].Quantity:0} unidades de la factura {invoice.Number}.")
            : $"Anulación de la factura {invoice.Number}.";
        return new DemoDocument(DemoDocumentKind.CreditNote, $"NC{invoice.Supplier.NumberPrefix}{500 + sequence}", date, DueDate: null,
            invoice.Supplier, lines, note, invoice, zipped);
    }

    private static DemoDocument DebitNote(DemoDocument invoice, DateOnly date, bool zipped)
    {
        var charge = Math.Max(5_000m, Hundreds(invoice.Subtotal * 0.05m));
        return new DemoDocument(DemoDocumentKind.DebitNote, $"ND{invoice.Supplier.NumberPrefix}900", date, date.AddDays(Math.Max(invoice.Supplier.TermsDays, 15)),
            invoice.Supplier, [new DemoLine($"Gastos de envío no facturados en la factura {invoice.Number}", 1m, charge, invoice.Supplier.Taxes!.Main)],
            $"Cargo por envío no incluido en la factura {invoice.Number}.", invoice, zipped);
    }

    // Some units at a unit price in hundreds of pesos, together close to the amount wanted.
    private static DemoLine Line(Random random, string description, decimal amount, DemoTaxRate tax, int maxQuantity)
    {
        var quantity = random.Next(1, maxQuantity + 1);
        var unitPrice = Math.Max(100m, Hundreds(amount / quantity));
        return new DemoLine(description, quantity, unitPrice, tax);
    }

    private static decimal Hundreds(decimal amount) => Math.Round(amount / 100m, MidpointRounding.AwayFromZero) * 100m;
}
