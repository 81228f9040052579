using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>One invoice row as a list test seeds it (server-owned columns included, so tests control the order).</summary>
public sealed record SeedInvoice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string AccountId { get; init; }
    public string? Number { get; init; }
    public DateOnly Date { get; init; } = new(2024, 1, 1);
    public DateOnly? DueDate { get; init; }
    public string Provider { get; init; } = "ACME";
    public string? Nit { get; init; }
    public decimal Amount { get; init; } = 100m;
    public string Currency { get; init; } = "COP";
    public string? PaymentMethod { get; init; }
    public string Category { get; init; } = "Office";
    public string? Description { get; init; }
    public string Status { get; init; } = "pending";
    public DateTime CreatedAt { get; init; } = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public DateTime? ArchivedAt { get; init; }
}

/// <summary>Seeds invoices fast, with a binary COPY as the superuser (tests only: it skips row-level security).</summary>
public static class ListSeed
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task InsertAsync(TestDatabase database, IEnumerable<SeedInvoice> invoices)
    {
        await using var dataSource = database.AdminDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY invoices (id, account_id, created_by, updated_by, number, date, due_date, provider, nit, amount, currency, payment_method, category, description, status, paid_at, created_at, updated_at, archived_at) FROM STDIN (FORMAT BINARY)",
            Token))
        {
            foreach (var invoice in invoices)
            {
                await importer.StartRowAsync(Token);
                await importer.WriteAsync(invoice.Id, NpgsqlDbType.Uuid, Token);
                await importer.WriteAsync(invoice.AccountId, NpgsqlDbType.Text, Token);
                await importer.WriteAsync(invoice.AccountId, NpgsqlDbType.Text, Token);
                await importer.WriteAsync(invoice.AccountId, NpgsqlDbType.Text, Token);
                await WriteNullableAsync(importer, invoice.Number);
                await importer.WriteAsync(invoice.Date, NpgsqlDbType.Date, Token);
                await WriteNullableAsync(importer, invoice.DueDate);
                await importer.WriteAsync(invoice.Provider, NpgsqlDbType.Text, Token);
                await WriteNullableAsync(importer, invoice.Nit);
                await importer.WriteAsync(invoice.Amount, NpgsqlDbType.Numeric, Token);
                await importer.WriteAsync(invoice.Currency, NpgsqlDbType.Text, Token);
                await WriteNullableAsync(importer, invoice.PaymentMethod);
                await importer.WriteAsync(invoice.Category, NpgsqlDbType.Text, Token);
                await WriteNullableAsync(importer, invoice.Description);
                await importer.WriteAsync(invoice.Status, NpgsqlDbType.Text, Token);
                await WriteNullableAsync(importer, invoice.Status == "paid" ? invoice.Date : null);
                await importer.WriteAsync(invoice.CreatedAt, NpgsqlDbType.TimestampTz, Token);
                await importer.WriteAsync(invoice.CreatedAt, NpgsqlDbType.TimestampTz, Token);
                if (invoice.ArchivedAt is { } archived)
                {
                    await importer.WriteAsync(archived, NpgsqlDbType.TimestampTz, Token);
                }
                else
                {
                    await importer.WriteNullAsync(Token);
                }
            }
            await importer.CompleteAsync(Token);
        }
        await using var analyze = new NpgsqlCommand("ANALYZE invoices", connection);
        await analyze.ExecuteNonQueryAsync(Token);
    }

    /// <summary><paramref name="count"/> varied invoices of <paramref name="userId"/>, the same for the same <paramref name="seed"/>; dates repeat, so ties occur.</summary>
    public static List<SeedInvoice> Many(string userId, int count, int seed = 1)
    {
        var random = new Random(seed);
        string[] providers = ["Panadería Núñez", "ACME S.A.S.", "Éxito", "zeta ltda", "Bodega Central", "café ÓRBITA"];
        string[] statuses = ["pending", "paid", "void"];
        return Enumerable.Range(0, count).Select(i => new SeedInvoice
        {
            AccountId = userId,
            Number = $"F-{i:D5}",
            Date = new DateOnly(2023, 1, 1).AddDays(random.Next(0, 400)),
            Provider = providers[random.Next(providers.Length)],
            Amount = random.Next(1, 5000) + random.Next(0, 100) / 100m,
            Status = statuses[random.Next(statuses.Length)],
            Category = random.Next(2) == 0 ? "Office" : "Travel",
            CreatedAt = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 30) / 10 * 10),
        }).ToList();
    }

    /// <summary>GET <paramref name="url"/> and the ids of the page, with the next cursor.</summary>
    public static async Task<(List<Guid> Ids, string? Next, HttpResponseMessage Response)> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Token);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var ids = body.RootElement.GetProperty("data").EnumerateArray().Select(invoice => invoice.GetProperty("id").GetGuid()).ToList();
        var next = body.RootElement.GetProperty("next_cursor").GetString();
        return (ids, next, response);
    }

    /// <summary>Every page of <paramref name="query"/>, following next_cursor, as ids in the order received.</summary>
    public static async Task<List<Guid>> AllPagesAsync(HttpClient client, string query, Func<Task>? betweenPages = null)
    {
        var ids = new List<Guid>();
        var (page, next, _) = await PageAsync(client, "/?" + query);
        ids.AddRange(page);
        while (next is not null)
        {
            if (betweenPages is not null)
            {
                await betweenPages();
            }
            (page, next, _) = await PageAsync(client, $"/?{query}&cursor={Uri.EscapeDataString(next!)}");
            ids.AddRange(page);
        }
        return ids;
    }

    /// <summary>The problem's <c>errors</c> keys of a 400 (or other) response.</summary>
    public static async Task<List<string>> ErrorKeysAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return body.RootElement.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(e => e.Name).Order().ToList() : [];
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value) =>
        value is null ? importer.WriteNullAsync(Token) : importer.WriteAsync(value, NpgsqlDbType.Text, Token);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, DateOnly? value) =>
        value is { } date ? importer.WriteAsync(date, NpgsqlDbType.Date, Token) : importer.WriteNullAsync(Token);
}
