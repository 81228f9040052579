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
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<InProcessFunction> StartAsync(Assembly assembly, Dictionary<string, string?> environment, params string[] args)
    {
        environment.TryAdd("PORT", "0");
        var app = FunctionHost.Build(assembly, args, environment);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessFunction(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
