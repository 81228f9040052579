using InvoiceApi.Tools.Emulator;

namespace InvoiceApi.Tests.Tools;

/// <summary>The printed table's dashboard row: present only once the page's server has set its address, carrying caller one's token.</summary>
public sealed class EmulatorSummaryTests
{
    private static readonly IReadOnlyList<(string Caller, string Token)> Tokens = [("demo-user-1", "token-one"), ("demo-user-2", "token-two")];

    [Fact]
    public void The_dashboard_row_carries_the_first_callers_token_in_the_fragment()
    {
        var table = StartupSummary.Render(Content(new Uri("http://127.0.0.1:8080/"))).Split('\n');

        Assert.Contains("  dashboard  http://127.0.0.1:8080/#token=token-one", table);
        Assert.Contains(table, line => line.StartsWith("  invoices", StringComparison.Ordinal) && line.EndsWith("(API docs: http://127.0.0.1:8080/docs.html?fn=invoices)", StringComparison.Ordinal));
        Assert.Equal("             token-two", table[Array.FindIndex(table, line => line.StartsWith("  token      demo-user-2 ", StringComparison.Ordinal)) + 1]);
    }

    [Fact]
    public void Without_a_dashboard_url_there_is_no_dashboard_row()
    {
        var table = StartupSummary.Render(Content(dashboardUrl: null)).Split('\n');

        Assert.DoesNotContain(table, line => line.StartsWith("  dashboard", StringComparison.Ordinal));
        Assert.Contains(table, line => line.StartsWith("  invoices   http://127.0.0.1:8081", StringComparison.Ordinal));
    }

    private static StartupSummary.Content Content(Uri? dashboardUrl) => new(
        [new LocalFunction("Invoices", "invoices", 8081, "--invoices-port"), new LocalFunction("Stats", "stats", 8082, "--stats-port")],
        dashboardUrl,
        Tokens,
        new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        "/tmp/invoiceapi-0/cloudsql/local:dev:invoices",
        5432,
        new DatabaseLogin("invoices_app", "unused", "invoices"),
        "/repo/.local/postgres/data",
        StateFolderFlag: null);
}
