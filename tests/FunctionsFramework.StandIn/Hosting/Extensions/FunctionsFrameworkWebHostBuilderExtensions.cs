using System.Reflection;
using Google.Cloud.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection;

// In the namespace of the type extended, as Google's package does.
namespace Microsoft.AspNetCore.Hosting;

/// <summary>The framework's web host settings: where Kestrel listens and which startups run.</summary>
public static class FunctionsFrameworkWebHostBuilderExtensions
{
    /// <summary>Listens on the configured port (8080 by default) on loopback, or every interface in a container.</summary>
    public static IWebHostBuilder ConfigureKestrelForFunctionsFramework(this IWebHostBuilder builder) =>
        builder.ConfigureKestrel((context, kestrel) =>
        {
            var options = FunctionsFrameworkOptions.From(context.Configuration);
            kestrel.Listen(options.Address, options.Port);
        });

    /// <summary>Runs the startups named on <paramref name="assembly"/> and on <paramref name="functionType"/>, in their order.</summary>
    public static IWebHostBuilder UseFunctionsStartups(this IWebHostBuilder webHostBuilder, Assembly assembly, Type? functionType)
    {
        foreach (var type in FunctionsStartupAttribute.GetStartupTypes(assembly, functionType))
        {
            webHostBuilder.UseFunctionsStartup((FunctionsStartup)Activator.CreateInstance(type)!);
        }
        return webHostBuilder;
    }

    /// <summary>Runs <paramref name="startup"/>'s configuration, logging and service methods, and its Configure when the pipeline is built.</summary>
    public static IWebHostBuilder UseFunctionsStartup(this IWebHostBuilder webHostBuilder, FunctionsStartup startup)
    {
        ArgumentNullException.ThrowIfNull(webHostBuilder);
        ArgumentNullException.ThrowIfNull(startup);
        return webHostBuilder
            .ConfigureAppConfiguration(startup.ConfigureAppConfiguration)
            .ConfigureLogging(startup.ConfigureLogging)
            .ConfigureServices(startup.ConfigureServices)
            .ConfigureServices(services => services.AddSingleton(startup));
    }
}
