using System.Net;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Caller B never reaches caller A's invoice: 404 on every single-invoice route, and A's row is untouched afterwards.</summary>
public sealed class CallerIsolationTests(PostgresServer server)
{
    [Fact]
    public async Task Caller_b_gets_404_everywhere_and_changes_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var get = await app.B.GetAsync($"/{id}", Token);
        using var put = await SendAsync(app.B, HttpMethod.Put, $"/{id}", Body(b => b["amount"] = "1"), ifMatch: etag);
        using var patch = await SendAsync(app.B, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: etag);
        using var patchStar = await SendAsync(app.B, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: "*");
        using var delete = await SendAsync(app.B, HttpMethod.Delete, $"/{id}", ifMatch: etag);
        using var restore = await SendAsync(app.B, HttpMethod.Post, $"/{id}/restore");

        foreach (var response in new[] { get, put, patch, patchStar, delete, restore })
        {
            await AssertProblemAsync(response, HttpStatusCode.NotFound);
        }
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task Caller_b_cannot_restore_an_archived_invoice_of_a()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        using var archived = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: etag);
        var before = await RowTextAsync(app, id);

        using var restore = await SendAsync(app.B, HttpMethod.Post, $"/{id}/restore");

        await AssertProblemAsync(restore, HttpStatusCode.NotFound);
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task An_admin_token_writes_only_its_own_invoices()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;

        using var patch = await SendAsync(app.Admin, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: etag);

        await AssertProblemAsync(patch, HttpStatusCode.NotFound);
    }
}
