using System.Net;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>Every bad query parameter is a 400 problem+json naming it; wrong methods and paths are 405 and 404; the OpenAPI document is open.</summary>
public sealed class BadParameterTests(PostgresServer server)
{
    [Theory]
    [InlineData("/dashboard?from=2026-13-01", "from")]
    [InlineData("/dashboard?from=yesterday", "from")]
    [InlineData("/dashboard?from=2026-05-02&to=2026-05-01", "from")]
    [InlineData("/dashboard?to=0001-01-01", "to")]
    [InlineData("/dashboard?from=", "from")]
    [InlineData("/dashboard?top=0", "top")]
    [InlineData("/dashboard?top=51", "top")]
    [InlineData("/dashboard?top=ten", "top")]
    [InlineData("/dashboard?include=deleted", "include")]
    [InlineData("/dashboard?currency=US", "currency")]
    [InlineData("/dashboard?currency=US1", "currency")]
    [InlineData("/dashboard?tz=Mars/Olympus", "tz")]
    [InlineData("/dashboard?tz=../../etc/passwd", "tz")]
    [InlineData("/dashboard?tz=America", "tz")]
    [InlineData("/providers?tz=Etc", "tz")]
    [InlineData("/trend?tz=posix", "tz")]
    [InlineData("/dashboard?colour=blue", "colour")]
    [InlineData("/dashboard?top=5&top=6", "top")]
    [InlineData("/trend?months=0", "months")]
    [InlineData("/trend?months=61", "months")]
    [InlineData("/trend?by=provider", "by")]
    [InlineData("/trend?tz=Not/AZone", "tz")]
    [InlineData("/trend?from=2026-01-01", "from")]
    [InlineData("/providers?limit=101", "limit")]
    [InlineData("/providers?limit=-1", "limit")]
    [InlineData("/providers?top=3", "top")]
    [InlineData("/taxes?year=1899", "year")]
    [InlineData("/taxes?year=3000", "year")]
    [InlineData("/taxes?year=twenty", "year")]
    [InlineData("/taxes?year=2025&year=2026", "year")]
    [InlineData("/taxes?period=monthly", "period")]
    [InlineData("/taxes?period=Bimonthly", "period")]
    [InlineData("/taxes?period=", "period")]
    [InlineData("/taxes?tz=Mars/Olympus", "tz")]
    [InlineData("/taxes?currency=COP", "currency")]
    [InlineData("/taxes?from=2026-01-01", "from")]
    public async Task A_bad_parameter_is_a_400_naming_it(string path, string parameter)
    {
        await using var app = await StatsApp.StartAsync(server);

        using var response = await app.A.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:invoice-api:problem:bad-query", body.GetProperty("type").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out var messages), body.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task Several_bad_parameters_are_all_named_at_once()
    {
        await using var app = await StatsApp.StartAsync(server);

        var body = await StatsApp.GetJsonAsync(app.A, "/trend?months=99&by=x&tz=Nowhere&extra=1", 400);

        Assert.Equal(["by", "extra", "months", "tz"], body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_valid_time_zone_sets_today()
    {
        await using var app = await StatsApp.StartAsync(server);

        var tokyo = await StatsApp.GetJsonAsync(app.A, "/dashboard?tz=Asia/Tokyo");
        var utc = await StatsApp.GetJsonAsync(app.A, "/trend?tz=UTC&months=1");

        Assert.Equal(StatsApp.Iso(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime)),
            tokyo.GetProperty("today").GetString());
        Assert.Equal("UTC", utc.GetProperty("time_zone").GetString());
    }

    [Fact]
    public async Task Methods_paths_tokens_and_the_openapi_document()
    {
        await using var app = await StatsApp.StartAsync(server);
        var token = TestContext.Current.CancellationToken;

        using var post = await app.A.PostAsync(new Uri("/dashboard", UriKind.Relative), null, token);
        using var missing = await app.A.GetAsync(new Uri("/nothing", UriKind.Relative), token);
        using var anonymous = await app.Function.AnonymousClient.GetAsync(new Uri("/dashboard", UriKind.Relative), token);
        using var openApi = await app.Function.AnonymousClient.GetAsync(new Uri("/openapi.json", UriKind.Relative), token);
        var document = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync(token)).RootElement;

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", post.Content.Headers.Allow.Count > 0 ? string.Join(", ", post.Content.Headers.Allow) : post.Headers.GetValues("Allow").Single());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.Equal(["/dashboard", "/openapi.json", "/providers", "/taxes", "/trend"], document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
