using System.Net;
using System.Text.Json;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>GET / against a real database: each filter, each sort, bad parameters and caller isolation.</summary>
/// <remarks>The seeded rows are only read, so one app and database serve every test of the class.</remarks>
public sealed class ListInvoicesTests(PostgresServer server, ListInvoicesTests.SeededApp seeded) : IClassFixture<ListInvoicesTests.SeededApp>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private static readonly DateOnly Today = CallerClock.Default(TimeProvider.System).Today;

    private static readonly SeedInvoice Bakery = new()
    {
        AccountId = InvoicesApp.CallerA, Number = "FV-1001", Date = new(2024, 3, 10), DueDate = Today.AddDays(-5), Provider = "Panadería Núñez",
        Nit = "900123456-8", Amount = 150.50m, PaymentMethod = "cash", Category = "Food", Description = "pan y café", Status = "pending",
        CreatedAt = new(2024, 3, 10, 8, 0, 0, DateTimeKind.Utc),
    };

    private static readonly SeedInvoice Hardware = new()
    {
        AccountId = InvoicesApp.CallerA, Number = "HW-77", Date = new(2024, 5, 1), DueDate = Today.AddDays(10), Provider = "ACME Tools",
        Nit = "213123432-1", Amount = 2000m, Currency = "USD", PaymentMethod = "card", Category = "Equipment", Description = "drill bits",
        Status = "paid", CreatedAt = new(2024, 5, 1, 9, 0, 0, DateTimeKind.Utc),
    };

    private static readonly SeedInvoice Travel = new()
    {
        AccountId = InvoicesApp.CallerA, Date = new(2024, 1, 20), DueDate = new(2024, 2, 1), Provider = "Aerolínea Éxito", Amount = 980.25m,
        PaymentMethod = "transfer", Category = "Travel", Status = "void", CreatedAt = new(2024, 1, 21, 10, 0, 0, DateTimeKind.Utc),
    };

    private static readonly SeedInvoice Archived = new()
    {
        AccountId = InvoicesApp.CallerA, Date = new(2024, 6, 1), Provider = "Old Supplier", Amount = 10m, Category = "Food",
        CreatedAt = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc), ArchivedAt = new(2024, 6, 2, 0, 0, 0, DateTimeKind.Utc),
    };

    private static readonly SeedInvoice OtherCallers = new()
    {
        AccountId = InvoicesApp.CallerB, Date = new(2024, 4, 1), Provider = "Panadería Núñez", Nit = "900123456-8", Amount = 150.50m,
        Category = "Food", CreatedAt = new(2024, 4, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    /// <summary>The app with the five invoices above, started once for the class.</summary>
    public sealed class SeededApp(PostgresServer server) : IAsyncLifetime
    {
        public InvoicesApp App { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            App = await InvoicesApp.StartAsync(server);
            await ListSeed.InsertAsync(App.Database, [Bakery, Hardware, Travel, Archived, OtherCallers]);
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query)
    {
        var (ids, _, _) = await ListSeed.PageAsync(client, "/?" + query);
        return ids;
    }

    [Fact]
    public async Task The_default_list_is_the_callers_live_invoices_newest_first()
    {
        var app = seeded.App;

        Assert.Equal([Hardware.Id, Bakery.Id, Travel.Id], await IdsAsync(app.A, ""));
        Assert.Equal([OtherCallers.Id], await IdsAsync(app.B, ""));
    }

    [Theory]
    [InlineData("date_from=2024-03-10", "bakery,hardware")]
    [InlineData("date_to=2024-03-09", "travel")]
    [InlineData("date_from=2024-01-01&date_to=2024-03-10", "bakery,travel")]
    [InlineData("due_to=2024-02-01", "travel")]
    [InlineData("provider=PANADERIA", "bakery")]
    [InlineData("provider=n%C3%BA%C3%B1", "bakery")]
    [InlineData("provider=exito", "travel")]
    [InlineData("provider=%25", "")]
    [InlineData("nit=900.123.456-8", "bakery")]
    [InlineData("nit=213123432", "hardware")]
    [InlineData("nit=9001234568", "bakery")]
    [InlineData("nit=2131234321", "hardware")]
    [InlineData("status=paid", "hardware")]
    [InlineData("status=paid,void", "hardware,travel")]
    [InlineData("status=paid&status=pending", "bakery,hardware")]
    [InlineData("category=food", "bakery")]
    [InlineData("payment_method=transfer", "travel")]
    [InlineData("currency=usd", "hardware")]
    [InlineData("amount_min=150.50&amount_max=980.25", "bakery,travel")]
    [InlineData("amount_min=1000", "hardware")]
    [InlineData("q=cafe", "bakery")]
    [InlineData("q=fv-1001%20PAN", "bakery")]
    [InlineData("q=drill%20food", "")]
    [InlineData("q=equipment", "hardware")]
    [InlineData("overdue=true", "bakery")]
    [InlineData("include=archived", "archived,bakery,hardware,travel")]
    [InlineData("include=archived&category=FOOD", "archived,bakery")]
    public async Task Each_filter_selects_exactly_its_invoices(string query, string expected)
    {
        var app = seeded.App;
        var names = new Dictionary<Guid, string>
        {
            [Bakery.Id] = "bakery", [Hardware.Id] = "hardware", [Travel.Id] = "travel", [Archived.Id] = "archived", [OtherCallers.Id] = "other",
        };

        var ids = await IdsAsync(app.A, query);

        Assert.Equal(expected, string.Join(',', ids.Select(id => names[id]).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Overdue_compares_with_today_in_the_zone_tz_names()
    {
        // Kiritimati (UTC+14) is always one or two days ahead of Pago Pago (UTC-11): an invoice due on Pago Pago's today
        // is not yet overdue there and already overdue in Kiritimati, whatever the hour of the run.
        var pagoPagoToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Pago_Pago")).DateTime);
        var dueToday = new SeedInvoice
        {
            AccountId = "tz-caller", Date = pagoPagoToday.AddDays(-30), DueDate = pagoPagoToday, Provider = "Ferretería Sol", Amount = 10m,
            Category = "Tools", Status = "pending", CreatedAt = DateTime.UtcNow,
        };
        await ListSeed.InsertAsync(seeded.App.Database, [dueToday]);
        using var client = seeded.App.ClientFor("tz-caller");

        Assert.Empty(await IdsAsync(client, "overdue=true&tz=Pacific/Pago_Pago"));
        Assert.Equal([dueToday.Id], await IdsAsync(client, "overdue=true&tz=Pacific/Kiritimati"));
        Assert.Equal([dueToday.Id], await IdsAsync(client, "overdue=false&tz=Pacific/Pago_Pago"));
    }

    [Fact]
    public async Task An_unknown_tz_is_a_400_naming_it()
    {
        using var response = await seeded.App.A.GetAsync("/?tz=Mars/Olympus", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("tz", out _));
    }

    [Theory]
    [InlineData("sort=date&order=asc", "travel,bakery,hardware")]
    [InlineData("sort=amount", "hardware,travel,bakery")]
    [InlineData("sort=amount&order=asc", "bakery,travel,hardware")]
    [InlineData("sort=created_at&order=desc", "hardware,bakery,travel")]
    [InlineData("sort=provider&order=asc", "hardware,travel,bakery")]
    [InlineData("sort=provider&order=desc", "bakery,travel,hardware")]
    public async Task Each_sort_orders_the_list(string query, string expected)
    {
        var app = seeded.App;
        var names = new Dictionary<Guid, string> { [Bakery.Id] = "bakery", [Hardware.Id] = "hardware", [Travel.Id] = "travel" };

        Assert.Equal(expected, string.Join(',', (await IdsAsync(app.A, query)).Select(id => names[id])));
    }

    [Fact]
    public async Task Equal_sort_keys_are_ordered_by_id()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var twins = Enumerable.Range(0, 5).Select(_ => new SeedInvoice { AccountId = InvoicesApp.CallerA, Date = new(2024, 2, 2) }).ToList();
        await ListSeed.InsertAsync(app.Database, twins);

        Assert.Equal(twins.Select(t => t.Id).Order().Reverse(), await IdsAsync(app.A, ""));
        Assert.Equal(twins.Select(t => t.Id).Order(), await IdsAsync(app.A, "order=asc"));
    }

    [Fact]
    public async Task The_response_carries_the_api_json_of_each_invoice()
    {
        var app = seeded.App;

        var response = await app.A.GetAsync("/?nit=900123456-8", Token);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var invoice = Assert.Single(body.RootElement.GetProperty("data").EnumerateArray().ToList());

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("150.50", invoice.GetProperty("amount").GetString());
        Assert.Equal("Panadería Núñez", invoice.GetProperty("provider").GetString());
        Assert.Equal("2024-03-10", invoice.GetProperty("date").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("next_cursor").ValueKind);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("date_from=2024-13-01", "date_from")]
    [InlineData("date_from=01/02/2024", "date_from")]
    [InlineData("due_to=tomorrow", "due_to")]
    [InlineData("amount_min=abc", "amount_min")]
    [InlineData("amount_max=1e5", "amount_max")]
    [InlineData("status=lost", "status")]
    [InlineData("status=paid,", "status")]
    [InlineData("payment_method=bitcoin", "payment_method")]
    [InlineData("currency=PESOS", "currency")]
    [InlineData("nit=900123456-7", "nit")]
    [InlineData("nit=12ab", "nit")]
    [InlineData("nit=99999999999999999999999999999999", "nit")]
    [InlineData("nit=1234567890123456", "nit")]
    [InlineData("overdue=yes", "overdue")]
    [InlineData("overdue=TRUE", "overdue")]
    [InlineData("include=deleted", "include")]
    [InlineData("sort=price", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("dat_from=2024-01-01", "dat_from")]
    [InlineData("date_from=2024-01-01&date_from=2024-02-01", "date_from")]
    [InlineData("provider=", "provider")]
    [InlineData("date_from=2024-05-01&date_to=2024-04-01", "date_from")]
    [InlineData("amount_min=10&amount_max=5", "amount_min")]
    [InlineData("all_callers=maybe", "all_callers")]
    [InlineData("q=%00", "q")]
    [InlineData("provider=a%00b", "provider")]
    [InlineData("category=%00", "category")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string parameter)
    {
        var app = seeded.App;

        var response = await app.A.GetAsync("/?" + query, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([parameter], await ListSeed.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task Every_bad_parameter_is_named_at_once()
    {
        var app = seeded.App;

        var response = await app.A.GetAsync("/?limit=500&sort=x&status=lost&colour=red", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["colour", "limit", "sort", "status"], await ListSeed.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task An_admin_asking_for_all_callers_sees_both_callers()
    {
        var app = seeded.App;

        var ids = await IdsAsync(app.Admin, "all_callers=true&provider=panaderia");
        Assert.Equal([OtherCallers.Id, Bakery.Id], ids);
        Assert.Empty(await IdsAsync(app.Admin, "provider=panaderia"));
    }

    [Fact]
    public async Task A_caller_without_the_admin_role_asking_for_all_callers_is_refused()
    {
        var app = seeded.App;

        var response = await app.B.GetAsync("/?all_callers=true", Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_caller_never_sees_another_callers_invoice_whatever_the_filter()
    {
        var app = seeded.App;

        Assert.Equal([Bakery.Id], await IdsAsync(app.A, "nit=900123456-8"));
        Assert.Equal([OtherCallers.Id], await IdsAsync(app.B, "nit=900123456-8&include=archived"));
        Assert.Empty(await IdsAsync(app.B, "provider=acme"));
    }
}
