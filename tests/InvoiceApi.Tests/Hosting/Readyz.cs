namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// GET /readyz for tests that judge the answer, not its speed: a first check on a loaded machine may run past the
/// probe's own 2 s deadline (a new connection, the catalog queries), and that answer is asked again.
/// </summary>
internal static class Readyz
{
    internal static async Task<HttpResponseMessage> GetAsync(HttpClient client, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.GetAsync("/readyz", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (attempt < 5 && body.Contains("No answer within", StringComparison.Ordinal))
            {
                response.Dispose();
                continue;
            }
            return response;
        }
    }
}
