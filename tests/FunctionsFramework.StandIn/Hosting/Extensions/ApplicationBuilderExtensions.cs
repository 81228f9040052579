using Google.Cloud.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

// In the namespace of the type extended, as Google's package does.
namespace Microsoft.AspNetCore.Hosting;

/// <summary>Builds the framework's request pipeline on an application builder.</summary>
public static class ApplicationBuilderExtensions
{
    /// <summary>
    /// Runs every registered startup's <see cref="FunctionsStartup.Configure"/>, answers /robots.txt and /favicon.ico with
    /// 404 and sends every other request to the registered function.
    /// </summary>
    public static IApplicationBuilder UseFunctionsFramework(this IApplicationBuilder app, WebHostBuilderContext context) =>
        FunctionPipeline.Build(context, app, checkStartups: false);
}
