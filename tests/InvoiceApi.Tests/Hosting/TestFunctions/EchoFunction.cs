using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>Counts the requests that reached a function, to prove which ones did not.</summary>
public sealed class CallCounter
{
    private int _calls;

    public int Calls => _calls;

    public void Increment() => Interlocked.Increment(ref _calls);
}

/// <summary>Registers the counter and a middleware, to prove startups run (services and pipeline).</summary>
public sealed class EchoStartup : FunctionsStartup
{
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services) =>
        services.AddSingleton<CallCounter>();

    public override void Configure(WebHostBuilderContext context, IApplicationBuilder app) =>
        app.Use((httpContext, next) =>
        {
            httpContext.Response.Headers["X-Startup"] = "applied";
            return next(httpContext);
        });
}

/// <summary>Answers with what it received: method, path and query, unchanged.</summary>
[FunctionsStartup(typeof(EchoStartup))]
public sealed class EchoFunction(CallCounter counter) : IHttpFunction
{
    public Task HandleAsync(HttpContext context)
    {
        counter.Increment();
        return context.Response.WriteAsync(
            $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}", context.RequestAborted);
    }
}

/// <summary>Fails the way a careless data access bug would: an exception whose message holds SQL and a secret.</summary>
public sealed class ThrowingFunction : IHttpFunction
{
    public const string Secret = "hunter2-in-exception";

    public Task HandleAsync(HttpContext context) =>
        throw new InvalidOperationException($"SELECT * FROM invoices failed on Host=/cloudsql/p:r:i;Password={Secret}");
}

/// <summary>Answers with the caller the host attached: "account admin=True|False", and " as member role" when the member is not the account.</summary>
public sealed class WhoAmIFunction : IHttpFunction
{
    public Task HandleAsync(HttpContext context)
    {
        var caller = InvoiceApi.Functions.Api.Auth.CallerHttpContextExtensions.GetCaller(context);
        var membership = caller.AccountId == caller.MemberId ? "" : $" as {caller.MemberId} {caller.Role.ToString().ToLowerInvariant()}";
        return context.Response.WriteAsync($"{caller.AccountId} admin={caller.IsAdmin}{membership}", context.RequestAborted);
    }
}
