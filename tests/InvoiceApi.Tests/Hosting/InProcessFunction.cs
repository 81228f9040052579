using System.Reflection;
using InvoiceApi.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace InvoiceApi.Tests.Hosting;

/// <summary>A function served by the real host on a free loopback port inside the test process, with an HTTP client for it.</summary>
public sealed class InProcessFunction : IAsyncDisposable
{
    private InProcessFunction(WebApplication app)
    {
        App = app;
        // On "Cloud Run" (K_SERVICE) the host binds every interface, [::]; clients still call loopback.
        var address = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        AnonymousClient = new HttpClient { BaseAddress = address };
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Authorization = new("Bearer", TestAuthority.Token());
    }

    public WebApplication App { get; }

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
        return new InProcessFunction(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AnonymousClient.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
