namespace InvoiceApi.Tools.Emulator;

/// <summary>A made-up supplier the demo invoices come from, with what it typically bills and how it is paid.</summary>
/// <param name="Name">The provider, as printed on its invoices.</param>
/// <param name="NitBase">The NIT without its check digit (the Invoices function computes it, as for any client); null for a foreign supplier.</param>
/// <param name="Category">The invoices' category.</param>
/// <param name="Currency">What it bills in.</param>
/// <param name="MinAmount">Its smallest usual bill.</param>
/// <param name="MaxAmount">Its largest usual bill.</param>
/// <param name="TermsDays">Days from the invoice to its due date; 0 is paid on the spot.</param>
/// <param name="PaymentMethod">How it is paid.</param>
/// <param name="Weight">How often it bills, relative to the others.</param>
/// <param name="NumberPrefix">Its invoice numbers' prefix (FE-style: PES-1001).</param>
/// <param name="Descriptions">What its invoices say; <c>{0}</c> is the month's name.</param>
/// <param name="Taxes">The taxes it charges and the business withholds; null for a supplier that bills none.</param>
internal sealed record DemoSupplier(
    string Name,
    string? NitBase,
    string Category,
    string Currency,
    decimal MinAmount,
    decimal MaxAmount,
    int TermsDays,
    string PaymentMethod,
    int Weight,
    string NumberPrefix,
    IReadOnlyList<string> Descriptions,
    DemoTaxProfile? Taxes = null);
