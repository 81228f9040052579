using InvoiceApi.Tools.Emulator;

namespace InvoiceApi.Tests.Tools;

/// <summary>
/// The printed table's dashboard row (present only once the page's server has set its address, carrying every member's
/// token) and its token rows, one per demo member with its role and account.
/// </summary>
public sealed class EmulatorSummaryTests
{
    private static readonly IReadOnlyList<(LocalMember Member, string Token)> Tokens =
    [
        (LocalCallers.Owner, "token-one"), (LocalCallers.Editor, "token-two"), (LocalCallers.Viewer, "token-three"), (LocalCallers.Personal, "token-four"),
    ];

    [Fact]
    public void The_dashboard_row_carries_every_members_token_in_the_fragment_the_first_one_first()
    {
        var table = StartupSummary.Render(Content(new Uri("http://127.0.0.1:8080/"))).Split('\n');

        Assert.Contains("  dashboard  http://127.0.0.1:8080/#token=token-one&token=token-two&token=token-three&token=token-four", table);
        Assert.Contains(table, line => line.StartsWith("  invoices", StringComparison.Ordinal) && line.EndsWith("(API docs: http://127.0.0.1:8080/docs.html?fn=invoices)", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_member_has_a_token_row_naming_its_role_account_and_email()
    {
        var table = StartupSummary.Render(Content(new Uri("http://127.0.0.1:8080/"))).Split('\n');

        string TokenUnder(string row) => table[Array.IndexOf(table, row) + 1];
        Assert.Equal("             token-one", TokenUnder("  token      demo-owner (owner of demo-business, ana@demo.local; valid until 2026-11-25 10:00 UTC):"));
        Assert.Equal("             token-two", TokenUnder("  token      demo-editor (editor of demo-business, bruno@demo.local; valid until 2026-11-25 10:00 UTC):"));
        Assert.Equal("             token-three", TokenUnder("  token      demo-viewer (viewer of demo-business, carla@demo.local; valid until 2026-11-25 10:00 UTC):"));
        Assert.Equal("             token-four", TokenUnder("  token      demo-user-2 (owner of its personal account, dora@demo.local; valid until 2026-11-25 10:00 UTC):"));
        Assert.Contains(table, line => line.Contains("token --user ID [--account ID] [--role viewer|editor|owner] [--admin] [--hours N]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_member_without_a_role_claim_is_described_with_the_role_the_functions_give_it()
    {
        var content = Content(new Uri("http://127.0.0.1:8080/")) with
        {
            Tokens = [(new LocalMember("zoe", null, "acme", null), "token-zoe"), (new LocalMember("yan", null, null, null), "token-yan")],
        };

        var table = StartupSummary.Render(content).Split('\n');

        Assert.Contains("  token      zoe (viewer of acme; valid until 2026-11-25 10:00 UTC):", table);
        Assert.Contains("  token      yan (owner of its personal account; valid until 2026-11-25 10:00 UTC):", table);
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
