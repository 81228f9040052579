using Google.Cloud.Functions.Framework;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Google.Cloud.Functions.Hosting;

/// <summary>
/// The request pipeline, all of it: every startup's <see cref="FunctionsStartup.Configure"/> in order, then 404 for
/// /robots.txt and /favicon.ico, then the function for everything else. Nothing is added around the function.
/// </summary>
internal static partial class FunctionPipeline
{
    public static IApplicationBuilder Build(WebHostBuilderContext context, IApplicationBuilder app, bool checkStartups)
    {
        var function = app.ApplicationServices.GetRequiredService<FunctionTarget.Chosen>().Function;
        var startups = app.ApplicationServices.GetServices<FunctionsStartup>().ToList();
        if (checkStartups && !startups.Select(startup => startup.GetType()).SequenceEqual(FunctionsStartupAttribute.GetStartupTypes(function.Assembly, function)))
        {
            throw new InvalidOperationException($"The startups run are not the ones {function.FullName} names (did a startup change the function target?).");
        }
        foreach (var startup in startups)
        {
            startup.Configure(context, app);
        }
        app.Map("/robots.txt", NotFound);
        app.Map("/favicon.ico", NotFound);
        app.Run(context => context.RequestServices.GetRequiredService<IHttpFunction>().HandleAsync(context));
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EntryPoint).FullName!);
        LogServing(logger, function.FullName);
        return app;

        static void NotFound(IApplicationBuilder branch) => branch.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving function {Function}")]
    private static partial void LogServing(ILogger logger, string? function);
}
