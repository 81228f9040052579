using System.Globalization;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Makes a caller's demo invoices: two years of dates up to today, two thirds of them in the Stats function's default
/// window (from the first day of the month eleven months ago) and the rest in the period of equal length before it, so
/// the dashboard's "change vs previous" has something to compare with; a few more lately, as a growing business has; the suppliers' own amounts, terms
/// and payment habits. Most are paid, on time or late; some are still pending, past their due date (overdue) or not;
/// a few are void. The same caller and count give the same invoices on the same day.
/// </summary>
internal static class DemoInvoiceGenerator
{
    private const double VoidShare = 0.025;
    private const double NeverPaidShare = 0.03;
    private const double VeryLateShare = 0.06;
    private const double LateShare = 0.12;
    private const double DocumentShare = 0.6;
    private const double PreviousWindowShare = 1 / 3.0;

    private static readonly string[] Months =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    /// <summary>Today in Colombia (UTC-5, no daylight saving): never after the API's UTC today, so every date is accepted.</summary>
    internal static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5));

    internal static IReadOnlyList<DemoInvoice> Generate(string caller, int count, DateOnly today)
    {
        var random = new Random(StableSeed(caller));
        var window = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        // The dashboard compares with the period of equal length just before its window.
        var previousWindow = window.AddDays(-(today.DayNumber - window.DayNumber + 1));
        var drafts = Enumerable.Range(0, count)
            .Select(_ => (Supplier: PickSupplier(random), Date: random.NextDouble() < PreviousWindowShare
                ? previousWindow.AddDays(random.Next(window.DayNumber - previousWindow.DayNumber))
                : PickDate(random, today, today.DayNumber - window.DayNumber)))
            .OrderBy(draft => draft.Date)
            .ToList();
        var sequences = new Dictionary<string, int>(StringComparer.Ordinal);
        return drafts.Select(draft => Build(random, caller, draft.Supplier, draft.Date, today, NextNumber(sequences, draft.Supplier))).ToList();
    }

    private static DemoInvoice Build(Random random, string caller, DemoSupplier supplier, DateOnly date, DateOnly today, string number)
    {
        DateOnly? due = supplier.TermsDays > 0 ? date.AddDays(supplier.TermsDays) : random.NextDouble() < 0.5 ? date : null;
        var paidOn = date.AddDays(PaymentDelay(random, supplier.TermsDays));
        var roll = random.NextDouble();
        var status = roll < VoidShare ? "void" : roll >= VoidShare + NeverPaidShare && paidOn <= today ? "paid" : "pending";
        var hasDocument = random.NextDouble() < DocumentShare;
        var amount = Amount(random, supplier);
        var (subtotal, tax) = TaxIncluded(supplier, amount);
        return new DemoInvoice(
            number,
            date,
            due,
            supplier.Name,
            NitAsTyped(random, supplier.NitBase),
            amount,
            supplier.Currency,
            status == "pending" && random.NextDouble() < 0.4 ? null : supplier.PaymentMethod,
            supplier.Category,
            string.Format(CultureInfo.InvariantCulture, supplier.Descriptions[random.Next(supplier.Descriptions.Count)], Months[date.Month - 1]),
            status,
            status == "paid" ? paidOn : null,
            hasDocument ? $"gs://invoice-api-local/{caller}/{number}.pdf" : null,
            hasDocument ? Math.Round(0.80 + (random.NextDouble() * 0.19), 2) : null,
            subtotal,
            tax);
    }

    // A typed-in bill shows its total and its tax: the subtotal is what remains of the total once the supplier's usual
    // tax is taken out, and the tax the rest, so the two add up to the cent as the API requires.
    private static (decimal? Subtotal, DemoTax? Tax) TaxIncluded(DemoSupplier supplier, decimal amount)
    {
        if (supplier.Taxes?.Main is not { } rate || supplier.Currency != "COP")
        {
            return (null, null);
        }
        var subtotal = Math.Round(amount / (1 + (rate.Rate / 100m)), 2, MidpointRounding.AwayFromZero);
        return (subtotal, new DemoTax(rate.Scheme, rate.Name, rate.Rate, subtotal, amount - subtotal));
    }

    // Mostly within terms, some late by weeks, a few by months: the late ones still pending are the overdue ones.
    private static int PaymentDelay(Random random, int termsDays)
    {
        var roll = random.NextDouble();
        return roll < VeryLateShare ? termsDays + random.Next(60, 200)
            : roll < VeryLateShare + LateShare ? termsDays + random.Next(5, 40)
            : random.Next(0, termsDays + 1);
    }

    private static DemoSupplier PickSupplier(Random random)
    {
        var total = DemoSuppliers.All.Sum(supplier => supplier.Weight);
        var pick = random.Next(total);
        foreach (var supplier in DemoSuppliers.All)
        {
            pick -= supplier.Weight;
            if (pick < 0)
            {
                return supplier;
            }
        }
        return DemoSuppliers.All[^1];
    }

    // Half uniform, half leaning towards today: the monthly trend rises gently.
    private static DateOnly PickDate(Random random, DateOnly today, int daysBack)
    {
        var u = random.NextDouble();
        var fromToday = random.NextDouble() < 0.5 ? u * daysBack : (1 - Math.Sqrt(u)) * daysBack;
        return today.AddDays(-(int)Math.Round(fromToday));
    }

    // Log-uniform between the supplier's bounds: many small bills, a few large ones. Pesos are billed in hundreds.
    private static decimal Amount(Random random, DemoSupplier supplier)
    {
        var min = Math.Log((double)supplier.MinAmount);
        var max = Math.Log((double)supplier.MaxAmount);
        var amount = (decimal)Math.Exp(min + (random.NextDouble() * (max - min)));
        return supplier.Currency == "COP" ? Math.Round(amount / 100m) * 100m : Math.Round(amount, 2);
    }

    // As people type them: 900123456 or 900.123.456; the API accepts both and stores 900123456-8.
    private static string? NitAsTyped(Random random, string? nitBase)
    {
        if (nitBase is null || random.NextDouble() < 0.5)
        {
            return nitBase;
        }
        var groups = new List<string>();
        for (var end = nitBase.Length; end > 0; end -= 3)
        {
            groups.Insert(0, nitBase[Math.Max(0, end - 3)..end]);
        }
        return string.Join('.', groups);
    }

    private static string NextNumber(Dictionary<string, int> sequences, DemoSupplier supplier)
    {
        var next = sequences.GetValueOrDefault(supplier.NumberPrefix, 1000) + 1;
        sequences[supplier.NumberPrefix] = next;
        return $"{supplier.NumberPrefix}-{next}";
    }

    // string.GetHashCode differs per process; this does not.
    private static int StableSeed(string caller) => caller.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
