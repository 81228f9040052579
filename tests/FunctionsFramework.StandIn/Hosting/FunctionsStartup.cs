using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Google.Cloud.Functions.Hosting;

/// <summary>
/// Configuration a function adds to the host: services, middleware, configuration sources and logging. Named with
/// <see cref="FunctionsStartupAttribute"/>; every method does nothing unless overridden.
/// </summary>
public abstract class FunctionsStartup
{
    /// <summary>Adds services.</summary>
    public virtual void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
    }

    /// <summary>Adds middleware, before the host maps its fixed 404 paths and then the function.</summary>
    public virtual void Configure(WebHostBuilderContext context, IApplicationBuilder app)
    {
    }

    /// <summary>Adds configuration sources.</summary>
    public virtual void ConfigureAppConfiguration(WebHostBuilderContext context, IConfigurationBuilder configuration)
    {
    }

    /// <summary>Adds or replaces logging providers.</summary>
    public virtual void ConfigureLogging(WebHostBuilderContext context, ILoggingBuilder logging)
    {
    }
}
