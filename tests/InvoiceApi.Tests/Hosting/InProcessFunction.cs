using System.Reflection;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Tests.OpenApi;
using Microsoft.AspNetCore.Builder;

namespace InvoiceApi.Tests.Hosting;

/// <summary>A function served by the real host on a free loopback port inside the test process, with an HTTP client for it.</summary>
public sealed class InProcessFunction : IAsyncDisposable
{
    private readonly OpenApiDescription? _description;

    private InProcessFunction(WebApplication app, OpenApiDescription? description)
    {
        App = app;
        _description = description;
        // On "Cloud Run" (K_SERVICE) the host binds every interface, [::]; clients still call loopback.
        Address = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        AnonymousClient = NewClient();
        Client = NewClient();
        Client.DefaultRequestHeaders.Authorization = new("Bearer", TestAuthority.Token());
    }

    public WebApplication App { get; }

    /// <summary>The function's loopback address.</summary>
    public Uri Address { get; }

    /// <summary>A client that sends a valid token of caller "caller-a".</summary>
    public HttpClient Client { get; }

    /// <summary>A client that sends no token.</summary>
    public HttpClient AnonymousClient { get; }

    public static async Task<InProcessFunction> StartAsync(Assembly assembly, Dictionary<string, string?> environment, params string[] args)
    {
        environment.TryAdd("PORT", "0");
        TestAuthority.With(environment);
        var app = FunctionHost.Build(assembly, args, environment);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessFunction(app, DescriptionOf(assembly));
    }

    /// <summary>
    /// A new client without a token. For Invoices and Stats every answer it gets is checked against the function's
    /// OpenAPI document, so a test fails on any answer the document does not describe.
    /// </summary>
    public HttpClient NewClient() =>
        _description is null ? new HttpClient { BaseAddress = Address } : ConformanceHandler.Client(_description, Address);

    private static OpenApiDescription? DescriptionOf(Assembly assembly) =>
        assembly == typeof(global::Invoices.Function).Assembly ? OpenApiDescription.Invoices
        : assembly == typeof(global::Stats.Function).Assembly ? OpenApiDescription.Stats
        : null;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AnonymousClient.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
