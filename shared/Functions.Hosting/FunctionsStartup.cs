using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Hosting;

/// <summary>
/// Customizes the host of a function. Same contract as <c>Google.Cloud.Functions.Hosting.FunctionsStartup</c>:
/// every method is optional; register the type with <see cref="FunctionsStartupAttribute"/>.
/// </summary>
public abstract class FunctionsStartup
{
    /// <summary>Registers services the function depends on.</summary>
    public virtual void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
    }

    /// <summary>Adds middleware that runs before the function.</summary>
    public virtual void Configure(WebHostBuilderContext context, IApplicationBuilder app)
    {
    }

    /// <summary>Adds configuration sources.</summary>
    public virtual void ConfigureAppConfiguration(WebHostBuilderContext context, IConfigurationBuilder configuration)
    {
    }

    /// <summary>Adjusts logging.</summary>
    public virtual void ConfigureLogging(WebHostBuilderContext context, ILoggingBuilder logging)
    {
    }
}
