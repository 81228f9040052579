using System.Net;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>DELETE /{id} archives under If-Match, POST /{id}/restore brings it back; archived invoices cannot be edited.</summary>
public sealed class ArchiveRestoreTests(PostgresServer server)
{
    [Fact]
    public async Task Archive_then_restore_returns_the_invoice_with_new_etags()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        using var archived = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: etag);
        using var read = await app.A.GetAsync($"/{id}", Token);
        using var restored = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore");

        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.Equal("\"2\"", archived.Headers.ETag!.ToString());
        var archivedInvoice = await JsonAsync(archived);
        Assert.Equal(JsonValueKind.String, archivedInvoice.GetProperty("archived_at").ValueKind);
        Assert.Equal(2, archivedInvoice.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("\"3\"", restored.Headers.ETag!.ToString());
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(restored)).GetProperty("archived_at").ValueKind);
    }

    [Fact]
    public async Task Archive_without_if_match_is_428_with_a_stale_one_412_and_malformed_400()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var missing = await SendAsync(app.A, HttpMethod.Delete, $"/{id}");
        using var stale = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: "\"5\"");
        using var malformed = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: "five");

        await AssertProblemAsync(missing, (HttpStatusCode)428);
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task Archiving_twice_or_restoring_a_live_invoice_changes_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;

        using var restoreLive = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore");
        using var first = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: etag);
        var afterFirst = await RowTextAsync(app, id);
        using var second = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: "\"2\"");

        Assert.Equal("\"1\"", restoreLive.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("\"2\"", second.Headers.ETag!.ToString());
        Assert.Equal(afterFirst, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task Restore_honours_an_if_match_when_sent()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        using var archived = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: etag);

        using var stale = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore", ifMatch: "\"1\"");
        using var malformed = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore", ifMatch: "x");
        using var current = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore", ifMatch: "\"2\"");

        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task An_archived_invoice_cannot_be_replaced_or_patched()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        using var archived = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: etag);
        var before = await RowTextAsync(app, id);

        using var put = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(), ifMatch: "\"2\"");
        using var patch = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: "\"2\"");

        await AssertProblemAsync(put, HttpStatusCode.Conflict);
        await AssertProblemAsync(patch, HttpStatusCode.Conflict);
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task Unknown_invoices_are_404()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var id = Guid.CreateVersion7();

        using var archive = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: "\"1\"");
        using var restore = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore");

        await AssertProblemAsync(archive, HttpStatusCode.NotFound);
        await AssertProblemAsync(restore, HttpStatusCode.NotFound);
    }
}
