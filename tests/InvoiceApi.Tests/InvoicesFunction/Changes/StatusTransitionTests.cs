using System.Net;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>All nine from -> to pairs of the status rules, through PATCH: allowed ones change, the rest are 409 and change nothing.</summary>
public sealed class StatusTransitionTests(PostgresServer server)
{
    [Theory]
    [InlineData("pending", "pending", true)]
    [InlineData("pending", "paid", true)]
    [InlineData("pending", "void", true)]
    [InlineData("paid", "pending", true)]
    [InlineData("paid", "paid", true)]
    [InlineData("paid", "void", false)]
    [InlineData("void", "pending", false)]
    [InlineData("void", "paid", false)]
    [InlineData("void", "void", true)]
    public async Task Each_transition_is_allowed_or_409(string from, string to, bool allowed)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A, Body(b => b["status"] = from));
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", $$"""{"status":"{{to}}"}""", ifMatch: etag);

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(to, (await JsonAsync(response)).GetProperty("status").GetString());
        }
        else
        {
            await AssertProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal(before, await RowTextAsync(app, id));
        }
    }

    [Fact]
    public async Task A_replacement_that_voids_a_paid_invoice_is_409_too()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A, Body(b => b["status"] = "paid"));

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{created.GetProperty("id").GetString()}", Body(b => b["status"] = "void"), ifMatch: etag);

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
    }
}
