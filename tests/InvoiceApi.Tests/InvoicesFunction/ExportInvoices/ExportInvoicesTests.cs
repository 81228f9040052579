using System.Net;
using System.Text;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>GET /export.csv: the list's rows and order as RFC 4180 CSV, guarded against formulas, per caller.</summary>
public sealed class ExportInvoicesTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly string[] Header =
    [
        "id", "number", "date", "due_date", "provider", "nit", "amount", "currency", "payment_method", "category", "description",
        "status", "paid_at", "file_path", "ocr_data", "ocr_confidence", "kind", "subtotal", "discounts", "charges", "prepaid",
        "rounding", "payable", "cufe", "refers_to", "refers_to_cufe", "document_sha256", "created_at", "updated_at", "version",
        "archived_at", "created_by", "created_by_email", "updated_by", "updated_by_email",
    ];

    private static int Column(string name) => Array.IndexOf(Header, name);

    private static async Task<List<string[]>> ExportAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/export.csv" + (query.Length > 0 ? "?" + query : ""), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ParseCsv(await response.Content.ReadAsStringAsync(Token));
    }

    /// <summary>An RFC 4180 reader written for the test, independent of the function's code.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }
        Assert.Empty(row);
        Assert.Equal(0, cell.Length);
        return rows;
    }

    [Fact]
    public async Task An_export_of_10000_invoices_matches_every_page_of_the_list()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await ListSeed.InsertAsync(app.Database, [.. ListSeed.Many(InvoicesApp.CallerA, 10_000), .. ListSeed.Many(InvoicesApp.CallerB, 100, seed: 5)]);

        var listed = new List<string>();
        string? next = null;
        do
        {
            var response = await app.A.GetStringAsync($"/?sort=amount&limit=100{(next is null ? "" : "&cursor=" + Uri.EscapeDataString(next))}", Token);
            using var page = JsonDocument.Parse(response);
            listed.AddRange(page.RootElement.GetProperty("data").EnumerateArray().Select(invoice => string.Join('|',
                invoice.GetProperty("id").GetString(), invoice.GetProperty("date").GetString(), invoice.GetProperty("provider").GetString(),
                invoice.GetProperty("amount").GetString(), invoice.GetProperty("status").GetString(), invoice.GetProperty("created_at").GetString())));
            next = page.RootElement.GetProperty("next_cursor").GetString();
        }
        while (next is not null);

        var rows = await ExportAsync(app.A, "sort=amount");

        Assert.Equal(Header, rows[0]);
        var exported = rows.Skip(1).Select(row => string.Join('|', row[0], row[2], row[4], row[6], row[11], row[Column("created_at")])).ToList();
        Assert.Equal(10_000, exported.Count);
        Assert.Equal(listed, exported);
    }

    [Fact]
    public async Task The_response_is_a_utf8_csv_attachment_with_the_field_names_as_header()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await app.A.GetAsync("/export.csv", Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(string.Join(',', Header) + "\r\n", body);
    }

    [Fact]
    public async Task Cells_are_quoted_by_rfc_4180_and_formulas_are_defused()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var tricky = new SeedInvoice
        {
            AccountId = InvoicesApp.CallerA, Number = "@SUM(A1)", Provider = "=HYPERLINK(\"http://x\",\"click\")", Category = "+cmd",
            Description = "uno, \"dos\"\r\ntres -ok", Nit = "900123456-8", Amount = 1234.5m, Status = "paid", Date = new(2024, 2, 29),
        };
        var dash = new SeedInvoice { AccountId = InvoicesApp.CallerA, Provider = "-minus", Category = "Ñandú café", Date = new(2024, 1, 1) };
        await ListSeed.InsertAsync(app.Database, [tricky, dash]);

        var rows = await ExportAsync(app.A);

        Assert.Equal(3, rows.Count);
        var row = rows[1];
        Assert.Equal(tricky.Id.ToString(), row[0]);
        Assert.Equal("'@SUM(A1)", row[1]);
        Assert.Equal("2024-02-29", row[2]);
        Assert.Equal("", row[3]);
        Assert.Equal("'=HYPERLINK(\"http://x\",\"click\")", row[4]);
        Assert.Equal("900123456-8", row[5]);
        Assert.Equal("1234.50", row[6]);
        Assert.Equal("'+cmd", row[9]);
        Assert.Equal("uno, \"dos\"\r\ntres -ok", row[10]);
        Assert.Equal("paid", row[11]);
        Assert.Equal("2024-02-29", row[12]);
        Assert.Equal("1", row[Column("version")]);
        Assert.Equal("'-minus", rows[2][4]);
        Assert.Equal("Ñandú café", rows[2][9]);
    }

    [Fact]
    public async Task Every_cell_is_the_value_the_json_gives_for_the_same_invoice()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var full = new SeedInvoice
        {
            AccountId = InvoicesApp.CallerA, Number = "F-001", Provider = "Café 😀 \"Sur\"", Nit = "900123456-8", Amount = 9876543.21m,
            Currency = "USD", PaymentMethod = "card", Category = "Travel", Description = "emoji 🧾, quote \" and tab\tend", Status = "paid",
            Date = new(2025, 12, 31), DueDate = new(2026, 1, 15), CreatedAt = new DateTime(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234560),
        };
        await ListSeed.InsertAsync(app.Database, [full]);
        await using (var admin = app.Database.AdminDataSource())
        await using (var extras = admin.CreateCommand(
            "UPDATE invoices SET file_path = 'gs://b/f 1.pdf', ocr_data = '{\"total\": \"9,876,543.21\", \"lines\": [1, 2]}', ocr_confidence = 0.1 WHERE id = $1"))
        {
            extras.Parameters.Add(new Npgsql.NpgsqlParameter<Guid> { TypedValue = full.Id });
            await extras.ExecuteNonQueryAsync(Token);
        }
        using var json = JsonDocument.Parse(await app.A.GetStringAsync($"/{full.Id}", Token));
        var invoice = json.RootElement;

        var row = (await ExportAsync(app.A))[1];

        Assert.Equal(Header.Length, row.Length);
        for (var i = 0; i < Header.Length; i++)
        {
            var value = invoice.GetProperty(Header[i]);
            // ocr_data is exported as PostgreSQL's jsonb text (keys in jsonb's order), not as the JSON's re-serialization.
            var expected = Header[i] == "ocr_data" ? "{\"lines\": [1, 2], \"total\": \"9,876,543.21\"}" : value.ValueKind switch
            {
                JsonValueKind.Null => "",
                JsonValueKind.String => value.GetString(),
                _ => value.GetRawText(),
            };
            Assert.True(expected == row[i], $"{Header[i]}: CSV '{row[i]}', JSON '{expected}'");
        }
    }

    [Fact]
    public async Task The_filters_and_order_of_the_list_apply()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var rows = ListSeed.Many(InvoicesApp.CallerA, 200);
        await ListSeed.InsertAsync(app.Database, rows);

        var exported = await ExportAsync(app.A, "status=paid&provider=panaderia&sort=date&order=asc");

        var expected = rows.Where(r => r.Status == "paid" && r.Provider.StartsWith("Panader", StringComparison.Ordinal))
            .OrderBy(r => r.Date).ThenBy(r => r.Id).Select(r => r.Id.ToString()).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, exported.Skip(1).Select(row => row[0]));
    }

    [Theory]
    [InlineData("limit=10", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("date_from=yesterday", "date_from")]
    [InlineData("sort=nit", "sort")]
    public async Task A_bad_parameter_is_a_400_problem(string query, string parameter)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await app.A.GetAsync("/export.csv?" + query, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([parameter], await ListSeed.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task A_callers_export_holds_only_their_invoices_and_only_an_admin_may_export_all()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var a = ListSeed.Many(InvoicesApp.CallerA, 30);
        var b = ListSeed.Many(InvoicesApp.CallerB, 20, seed: 9);
        await ListSeed.InsertAsync(app.Database, [.. a, .. b]);

        var exportedByB = (await ExportAsync(app.B)).Skip(1).Select(row => Guid.Parse(row[0])).ToHashSet();
        var exportedByAdmin = (await ExportAsync(app.Admin, "all_callers=true")).Skip(1).Select(row => Guid.Parse(row[0])).ToHashSet();
        var refused = await app.B.GetAsync("/export.csv?all_callers=true", Token);

        Assert.Equal(b.Select(r => r.Id).ToHashSet(), exportedByB);
        Assert.Equal(a.Concat(b).Select(r => r.Id).ToHashSet(), exportedByAdmin);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_slow_reader_gets_the_whole_export_even_past_the_pools_statement_timeout()
    {
        await using var app = await InvoicesApp.StartAsync(server, new() { ["DB_STATEMENT_TIMEOUT_MS"] = "300" });
        await ListSeed.InsertAsync(app.Database, ListSeed.Many(InvoicesApp.CallerA, 40_000).Select(row => row with { Description = new string('d', 300) }));

        using var response = await app.A.GetAsync("/export.csv", HttpCompletionOption.ResponseHeadersRead, Token);
        await using var body = await response.Content.ReadAsStreamAsync(Token);
        var first = new byte[4096];
        await body.ReadExactlyAsync(first, Token);
        // The client stalls while the server is still sending (more than the socket buffers hold).
        await Task.Delay(TimeSpan.FromSeconds(1.5), Token);
        using var rest = new StreamReader(body);
        var remainder = await rest.ReadToEndAsync(Token);

        var lines = (Encoding.UTF8.GetString(first) + remainder).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(40_001, lines.Length);
    }
}
