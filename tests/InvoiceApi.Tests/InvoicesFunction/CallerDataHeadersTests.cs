using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>The host, not each operation, marks responses with caller data: no caching, no content sniffing.</summary>
public sealed class CallerDataHeadersTests(PostgresServer server)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/export.csv")]
    public async Task Lists_and_exports_are_never_cached_or_sniffed(string path)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Get, path);

        Assert.True(response.IsSuccessStatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
