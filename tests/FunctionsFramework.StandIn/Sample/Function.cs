using Google.Cloud.Functions.Framework;
using Google.Cloud.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

// Named out of order on purpose: the host runs them by Order, not by the order written.
[assembly: FunctionsStartup(typeof(Sample.SecondStartup), Order = 2)]
[assembly: FunctionsStartup(typeof(Sample.FirstStartup), Order = 1)]

namespace Sample;

/// <summary>Answers every request it is given with the method, the path and a greeting from a startup's service.</summary>
internal sealed class Function(Greeting greeting) : IHttpFunction
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Response.WriteAsync($"{greeting.Text} {context.Request.Method} {context.Request.Path}", context.RequestAborted);
    }
}

/// <summary>A service a startup registers and the function takes by constructor.</summary>
internal sealed record Greeting(string Text);

/// <summary>Registers the greeting, answers /healthz itself, and marks every response it passes.</summary>
internal sealed class FirstStartup : FunctionsStartup
{
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services) =>
        services.AddSingleton(new Greeting("hello from the sample"));

    public override void Configure(WebHostBuilderContext context, IApplicationBuilder app)
    {
        app.Use((httpContext, next) =>
        {
            httpContext.Response.Headers.Append("X-Startups", "first");
            if (httpContext.Request.Path == "/healthz")
            {
                return httpContext.Response.WriteAsync("ok", httpContext.RequestAborted);
            }
            return next(httpContext);
        });
    }
}

/// <summary>Marks every response it passes, after <see cref="FirstStartup"/>.</summary>
internal sealed class SecondStartup : FunctionsStartup
{
    public override void Configure(WebHostBuilderContext context, IApplicationBuilder app) =>
        app.Use((httpContext, next) =>
        {
            httpContext.Response.Headers.Append("X-Startups", "second");
            return next(httpContext);
        });
}
