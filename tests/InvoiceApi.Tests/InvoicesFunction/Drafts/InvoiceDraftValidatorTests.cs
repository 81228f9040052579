using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Every rule of docs/api.md's invoice table, with "today" fixed at 2024-06-15 (UTC).</summary>
public sealed class InvoiceDraftValidatorTests
{
    private static readonly DateOnly Today = new(2024, 6, 15);
    private readonly InvoiceDraftValidator _validator = new(new FixedClock(new DateTimeOffset(2024, 6, 15, 23, 59, 0, TimeSpan.Zero)));

    private static InvoiceDraft Valid() => new()
    {
        Date = Today, Provider = "ACME S.A.S.", Amount = 100m, Category = "Office",
    };

    private IReadOnlyDictionary<string, IReadOnlyList<string>> Check(InvoiceDraft draft) => _validator.Check(draft);

    [Fact]
    public void The_minimal_invoice_is_valid() => Assert.Empty(Check(Valid()));

    [Fact]
    public void A_full_invoice_is_valid() => Assert.Empty(Check(Valid() with
    {
        Number = new string('n', 64), DueDate = Today.AddDays(30), Nit = "900.123.456-8", Currency = "eur",
        PaymentMethod = "transfer", Description = new string('d', 2000), Status = "paid", PaidAt = Today.AddDays(1),
        FilePath = "https://example.com/a.pdf", OcrData = """{"a":1}""", OcrConfidence = 1,
    }));

    [Fact]
    public void Required_fields_are_named_with_their_json_names()
    {
        var errors = Check(new InvoiceDraft());
        Assert.Equal(["amount", "category", "date", "provider"], errors.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Each_rule_refuses_with_its_field(int index)
    {
        var (field, draft) = BadDrafts[index];
        var errors = Check(draft);
        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edges_inside_the_rules_pass(int index) => Assert.Empty(Check(EdgeDrafts[index]));

    public static TheoryData<int> BadCases() => [.. Enumerable.Range(0, BadDrafts.Count)];

    public static TheoryData<int> EdgeCases() => [.. Enumerable.Range(0, EdgeDrafts.Count)];

    private static readonly List<(string Field, InvoiceDraft Draft)> BadDrafts =
    [
        ("date", Valid() with { Date = Today.AddDays(2) }),
        ("due_date", Valid() with { DueDate = Today.AddDays(-1) }),
        ("provider", Valid() with { Provider = "   " }),
        ("provider", Valid() with { Provider = new string('p', 201) }),
        ("nit", Valid() with { Nit = "900123456-7" }),
        ("nit", Valid() with { Nit = "12345" }),
        ("amount", Valid() with { Amount = 0m }),
        ("amount", Valid() with { Amount = -1m }),
        ("amount", Valid() with { Amount = 1.005m }),
        ("amount", Valid() with { Amount = 10_000_000_000_000m }),
        ("currency", Valid() with { Currency = "XXX" }),
        ("currency", Valid() with { Currency = "PESOS" }),
        ("currency", Valid() with { Currency = "" }),
        ("payment_method", Valid() with { PaymentMethod = "bitcoin" }),
        ("payment_method", Valid() with { PaymentMethod = "Cash" }),
        ("category", Valid() with { Category = "" }),
        ("category", Valid() with { Category = new string('c', 61) }),
        ("description", Valid() with { Description = new string('d', 2001) }),
        ("number", Valid() with { Number = new string('n', 65) }),
        ("number", Valid() with { Number = "" }),
        ("status", Valid() with { Status = "overdue" }),
        ("paid_at", Valid() with { PaidAt = Today }),
        ("paid_at", Valid() with { Status = "pending", PaidAt = Today }),
        ("paid_at", Valid() with { Status = "paid", PaidAt = Today.AddDays(2) }),
        ("file_path", Valid() with { FilePath = "http://example.com/a.pdf" }),
        ("file_path", Valid() with { FilePath = "gs://bucket" }),
        ("file_path", Valid() with { FilePath = "gs:///object" }),
        ("file_path", Valid() with { FilePath = "s3://bucket/object" }),
        ("file_path", Valid() with { FilePath = "https://exa mple.com/a" }),
        ("ocr_data", Valid() with { OcrData = "{\"a\":\"" + new string('x', 64 * 1024) + "\"}" }),
        ("ocr_confidence", Valid() with { OcrConfidence = 1.01 }),
        ("ocr_confidence", Valid() with { OcrConfidence = -0.01 }),
    ];

    private static readonly List<InvoiceDraft> EdgeDrafts =
    [
        Valid() with { Date = Today.AddDays(1) },
        Valid() with { DueDate = Today },
        Valid() with { Provider = "  " + new string('p', 200) + "  " },
        Valid() with { Amount = 0.01m },
        Valid() with { Amount = 9_999_999_999_999.99m },
        Valid() with { Amount = 10.500m },
        Valid() with { Currency = "cop" },
        Valid() with { Currency = "VED" },
        Valid() with { Category = new string('c', 60) },
        Valid() with { Nit = "213123432" },
        Valid() with { FilePath = "gs://bucket/dir/file.pdf" },
        Valid() with { Status = "void" },
        Valid() with { Status = "paid" },
        Valid() with { OcrConfidence = 0 },
    ];

    [Fact]
    public void Values_are_normalized_and_defaulted()
    {
        var values = InvoiceValues.FromValidDraft(Valid() with { Provider = "  ACME ", Category = " Office ", Nit = "900.123.456", Currency = "usd" }, Today);
        Assert.Equal("ACME", values.Provider);
        Assert.Equal("Office", values.Category);
        Assert.Equal("900123456-8", values.Nit);
        Assert.Equal("USD", values.Currency);
        Assert.Equal("pending", values.Status);
        Assert.Null(values.PaidAt);
        Assert.Equal("COP", InvoiceValues.FromValidDraft(Valid(), Today).Currency);
    }

    [Fact]
    public void Paid_at_is_the_clients_date_or_the_previous_one_or_today()
    {
        var paid = Valid() with { Status = "paid" };
        Assert.Equal(Today, InvoiceValues.FromValidDraft(paid, Today).PaidAt);
        Assert.Equal(Today.AddDays(-9), InvoiceValues.FromValidDraft(paid, Today, previousPaidAt: Today.AddDays(-9)).PaidAt);
        Assert.Equal(Today.AddDays(-3), InvoiceValues.FromValidDraft(paid with { PaidAt = Today.AddDays(-3) }, Today, Today.AddDays(-9)).PaidAt);
        Assert.Null(InvoiceValues.FromValidDraft(Valid() with { Status = "void" }, Today, Today.AddDays(-9)).PaidAt);
    }
}
