using Xunit.Sdk;

namespace InvoiceApi.Tests.OpenApi;

/// <summary>
/// Sits under a test's HttpClient and checks every answer of a described operation against the function's OpenAPI
/// document (<see cref="OpenApiDescription.Check"/>); an answer the document does not describe fails the test that got
/// it, naming the operation, the status and what differs. So a new route, status or field must be documented first.
/// </summary>
public sealed class ConformanceHandler(Func<Uri, OpenApiDescription> describe) : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>A client of <paramref name="baseAddress"/> whose every answer is checked against <paramref name="description"/>.</summary>
    public static HttpClient Client(OpenApiDescription description, Uri baseAddress) =>
        new(new ConformanceHandler(_ => description)) { BaseAddress = baseAddress };

    /// <summary>A client for both functions at once: each answer is checked against the document of the function at its port.</summary>
    public static HttpClient Client(Uri invoices, Uri stats) =>
        new(new ConformanceHandler(address => address.Port == stats.Port ? OpenApiDescription.Stats
            : address.Port == invoices.Port ? OpenApiDescription.Invoices
            : throw new InvalidOperationException($"{address} is neither function's address.")));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var problems = describe(request.RequestUri!).Check(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Headers, response.Content.Headers, body);
        if (problems.Count > 0)
        {
            response.Dispose();
            throw new XunitException("The answer is not what the OpenAPI document describes:\n" + string.Join("\n", problems));
        }
        return response;
    }
}
