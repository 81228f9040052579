using System.Globalization;
using System.Text.Json.Nodes;

namespace InvoiceApi.Tests.Browser;

/// <summary>A small, fixed set of invoices for the browser test: two currencies, four categories, every status, some overdue.</summary>
internal static class DemoInvoices
{
    private static readonly (string Name, string Nit)[] Suppliers =
    [
        ("Papelería El Sol", "900123456"), ("Transportes Andinos", "800197268"), ("Café Montaña", "860002964"),
        ("Energía del Valle", "890399010"), ("Soluciones TI SAS", "901234567"),
    ];

    private static readonly string[] Categories = ["Office", "Transport", "Software", "Utilities"];
    private static readonly string[] Statuses = ["paid", "pending", "paid", "void", "pending", "paid"];

    /// <summary>24 invoices dated 2 to 278 days before <paramref name="today"/> (all inside the dashboard's default year).</summary>
    internal static JsonArray For(DateOnly today)
    {
        var rows = new JsonArray();
        for (var i = 0; i < 24; i++)
        {
            var supplier = Suppliers[i % Suppliers.Length];
            var date = today.AddDays(-2 - (i * 12));
            var currency = i % 4 == 3 ? "USD" : "COP";
            var amount = currency == "COP" ? 150_000m + (i * 87_350.50m) : 40m + (i * 13.25m);
            rows.Add(new JsonObject
            {
                ["date"] = Iso(date),
                // Every third is due 20 days after its date: the older pending ones are overdue.
                ["due_date"] = Iso(date.AddDays(i % 3 == 0 ? 20 : 45)),
                ["provider"] = supplier.Name,
                ["nit"] = supplier.Nit,
                ["number"] = $"FE-{1000 + i}",
                ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture),
                ["currency"] = currency,
                ["category"] = Categories[i % Categories.Length],
                ["status"] = Statuses[i % Statuses.Length],
                ["payment_method"] = i % 2 == 0 ? "transfer" : "card",
            });
        }
        return rows;
    }

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
