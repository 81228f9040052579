using System.Net;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>GET /{id}: the invoice with its ETag, 304 on If-None-Match, 404 for others' or unknown ids, admin all_callers.</summary>
public sealed class GetInvoiceTests(PostgresServer server)
{
    [Fact]
    public async Task The_owner_gets_the_invoice_with_its_strong_etag()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        using var response = await app.A.GetAsync($"/{id}", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", etag);
        Assert.Equal(etag, response.Headers.ETag!.ToString());
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal(created.ToString(), (await JsonAsync(response)).ToString());
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("W/\"1\"")]
    [InlineData("\"7\", \"1\"")]
    [InlineData("*")]
    public async Task If_none_match_with_the_current_etag_is_304(string ifNoneMatch)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{created.GetProperty("id").GetString()}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);

        using var response = await app.A.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.ToString());
    }

    [Theory]
    [InlineData("\"0\"", HttpStatusCode.OK)]
    [InlineData("\"not-ours\", W/\"cdn-7\"", HttpStatusCode.OK)]
    [InlineData("1", HttpStatusCode.BadRequest)]
    [InlineData("\"1", HttpStatusCode.BadRequest)]
    [InlineData("\"1\", garbage", HttpStatusCode.BadRequest)]
    public async Task If_none_match_with_an_old_or_foreign_etag_gets_the_invoice_and_a_malformed_one_is_400(string ifNoneMatch, HttpStatusCode expected)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{created.GetProperty("id").GetString()}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);

        using var response = await app.A.SendAsync(request, Token);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }
    }

    [Theory]
    [InlineData("/0190f5c2-1111-7000-8000-000000000000")]
    [InlineData("/not-a-uuid")]
    public async Task An_unknown_id_is_404(string path)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await app.A.GetAsync(path, Token);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_callers_invoice_is_404()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);

        using var response = await app.B.GetAsync($"/{created.GetProperty("id").GetString()}", Token);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_admin_reads_another_callers_invoice_only_with_all_callers()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        using var plain = await app.Admin.GetAsync($"/{id}", Token);
        using var all = await app.Admin.GetAsync($"/{id}?all_callers=true", Token);

        await AssertProblemAsync(plain, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(id, (await JsonAsync(all)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_non_admin_asking_for_all_callers_is_403()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);

        using var response = await app.B.GetAsync($"/{created.GetProperty("id").GetString()}?all_callers=true", Token);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("?all_callers=yes")]
    [InlineData("?all_callers=true&all_callers=true")]
    [InlineData("?fields=id")]
    public async Task Bad_query_parameters_are_400(string query)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);

        using var response = await app.Admin.GetAsync($"/{created.GetProperty("id").GetString()}{query}", Token);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);

        using var request = new HttpRequestMessage(HttpMethod.Head, $"/{created.GetProperty("id").GetString()}");
        using var response = await app.A.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }
}
