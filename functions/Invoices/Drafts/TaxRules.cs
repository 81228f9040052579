using System.Globalization;

namespace Invoices;

/// <summary>
/// The rules of an invoice's money parts (docs/api.md, "Taxes"), the one place they live: manual entry, changes,
/// imports and DIAN documents all pass through them.
/// <list type="bullet">
/// <item>each part has at most 2 decimals and stays below 10^13;</item>
/// <item>a tax or withholding names a DIAN scheme of its list, a rate from 0 to 100 % (or none, for a tax charged per unit),
/// a base and an amount, and the amount is base × rate within <see cref="Tolerance"/>;</item>
/// <item>with a subtotal, amount = subtotal + the taxes − discounts + charges − prepaid + rounding, to the cent, as DIAN's
/// totals add up (PayableAmount = TaxInclusiveAmount − AllowanceTotalAmount + ChargeTotalAmount − PrepaidAmount +
/// PayableRoundingAmount); taxes need a subtotal to be added to;</item>
/// <item>payable, when sent, is amount − the withholdings.</item>
/// </list>
/// </summary>
internal static class TaxRules
{
    /// <summary>
    /// How far a tax amount may be from base × rate: rounding each line's tax to the peso and then adding lines moves
    /// the document's total by up to a peso or so, and DIAN accepts that; more means the figures do not belong together.
    /// </summary>
    internal const decimal Tolerance = 1.00m;

    internal static void Check(InvoiceDraft draft, Action<string, string> fail)
    {
        foreach (var (field, value) in new[]
                 {
                     (InvoiceFields.Subtotal, draft.Subtotal), (InvoiceFields.Discounts, draft.Discounts), (InvoiceFields.Charges, draft.Charges),
                     (InvoiceFields.Prepaid, draft.Prepaid), (InvoiceFields.Rounding, draft.Rounding), (InvoiceFields.Payable, draft.Payable),
                 })
        {
            CheckMoney(field, value, fail);
        }
        var taxesValid = CheckList(InvoiceFields.Taxes, draft.Taxes, TaxSchemes.Taxes, fail);
        var withholdingsValid = CheckList(InvoiceFields.Withholdings, draft.Withholdings, TaxSchemes.Withholdings, fail);
        var taxes = draft.Taxes ?? [];
        if (taxes.Count > 0 && draft.Subtotal is null)
        {
            fail(InvoiceFields.Subtotal, "Required when taxes are given: the amount before taxes, which the taxes are added to.");
        }
        if (draft.Subtotal is { } subtotal && draft.Amount is { } amount && taxesValid)
        {
            var expected = subtotal + taxes.Sum(t => t.Amount ?? 0) - (draft.Discounts ?? 0) + (draft.Charges ?? 0) - (draft.Prepaid ?? 0) + (draft.Rounding ?? 0);
            if (expected != amount)
            {
                fail(InvoiceFields.Amount, string.Create(CultureInfo.InvariantCulture,
                    $"Must equal subtotal + taxes - discounts + charges - prepaid + rounding = {InvoiceFormats.Amount(expected)}; it is {InvoiceFormats.Amount(amount)}."));
            }
        }
        if (draft.Payable is { } payable && draft.Amount is { } whole && withholdingsValid)
        {
            var owed = whole - (draft.Withholdings ?? []).Sum(w => w.Amount ?? 0);
            if (payable != owed)
            {
                fail(InvoiceFields.Payable, string.Create(CultureInfo.InvariantCulture,
                    $"Must equal amount - withholdings = {InvoiceFormats.Amount(owed)}, or be left out (the server computes it)."));
            }
        }
    }

    private static void CheckMoney(string field, decimal? value, Action<string, string> fail)
    {
        if (value is not { } money)
        {
            return;
        }
        if (decimal.Round(money, 2) != money)
        {
            fail(field, "Must have at most 2 decimals.");
        }
        else if (Math.Abs(money) >= InvoiceDraftValidator.AmountLimit)
        {
            fail(field, "Must be below 10000000000000 (10^13) in absolute value.");
        }
    }

    // True when every entry is complete and well-formed, so its amounts can be added.
    private static bool CheckList(string field, IReadOnlyList<InvoiceTax>? list, IReadOnlyDictionary<string, string> schemes, Action<string, string> fail)
    {
        if (list is null)
        {
            return true;
        }
        if (list.Count > InvoiceDraftValidator.MaxTaxes)
        {
            fail(field, $"Must have at most {InvoiceDraftValidator.MaxTaxes} entries.");
            return false;
        }
        var valid = true;
        for (var i = 0; i < list.Count; i++)
        {
            var tax = list[i];
            var key = $"{field}[{i}]";
            // Each entry on its own: one broken entry must not hide another's wrong amount.
            var entryValid = true;
            void Fail(string part, string message)
            {
                fail($"{key}.{part}", message);
                entryValid = false;
            }
            if (tax.Scheme is null)
            {
                Fail("scheme", "Required.");
            }
            else if (!schemes.ContainsKey(tax.Scheme))
            {
                Fail("scheme", $"Must be one of DIAN's codes: {string.Join(", ", schemes.Select(s => $"{s.Key} ({s.Value})"))}.");
            }
            if (tax.Name is { } name && name.Trim().Length is < 1 or > 60)
            {
                Fail("name", "Must be 1 to 60 characters, or left out for the scheme's standard name.");
            }
            if (tax.Rate is { } rate && (rate < 0 || rate > 100 || decimal.Round(rate, 4) != rate))
            {
                Fail("rate", "Must be a percentage from 0 to 100 with at most 4 decimals (19 for 19 %), or null for a tax charged per unit.");
            }
            foreach (var (part, value) in new[] { ("base", tax.Base), ("amount", tax.Amount) })
            {
                if (value is null)
                {
                    Fail(part, "Required.");
                }
                else
                {
                    CheckMoney(part, value, Fail);
                }
            }
            if (entryValid && tax.Rate is { } percent && tax.Base is { } taxable && tax.Amount is { } charged
                && Math.Abs(charged - taxable * percent / 100) > Tolerance)
            {
                Fail("amount", string.Create(CultureInfo.InvariantCulture,
                    $"Must be base × rate = {InvoiceFormats.Amount(decimal.Round(taxable * percent / 100, 2))} (within {Tolerance:0.00}); it is {InvoiceFormats.Amount(charged)}."));
            }
            valid &= entryValid;
        }
        return valid;
    }
}
