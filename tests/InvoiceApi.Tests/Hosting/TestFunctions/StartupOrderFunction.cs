using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>What the first startup's services saw of a setting only the second startup's configuration adds.</summary>
public sealed record StartupOrderProbe(string? Seen);

/// <summary>Runs first, and reads the setting while registering its services.</summary>
public sealed class ProbeReadingStartup : FunctionsStartup
{
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services) =>
        services.AddSingleton(new StartupOrderProbe(context.Configuration["STARTUP_ORDER_PROBE"]));
}

/// <summary>Runs second, and adds the setting to the configuration.</summary>
public sealed class ProbeSettingStartup : FunctionsStartup
{
    public override void ConfigureAppConfiguration(WebHostBuilderContext context, IConfigurationBuilder configuration) =>
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["STARTUP_ORDER_PROBE"] = "added by the second startup" });
}

/// <summary>Answers what the first startup saw: as in the Functions Framework, every configuration runs before any services.</summary>
[FunctionsStartup(typeof(ProbeReadingStartup), Order = 0)]
[FunctionsStartup(typeof(ProbeSettingStartup), Order = 1)]
public sealed class StartupOrderFunction(StartupOrderProbe probe) : IHttpFunction
{
    public Task HandleAsync(HttpContext context) => context.Response.WriteAsync(probe.Seen ?? "(nothing)", context.RequestAborted);
}
