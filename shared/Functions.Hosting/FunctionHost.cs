using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Reflection;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace InvoiceApi.Functions.Hosting;

/// <summary>
/// Builds the web host for one function as Google's Functions Framework does: target, port and listen address, every
/// startup in order, <c>/robots.txt</c> and <c>/favicon.ico</c>, everything else to the function. Besides, the log
/// format (Cloud Logging JSON with the request's trace on Cloud Run) and a shutdown inside Cloud Run's 10 s.
/// </summary>
public static class FunctionHost
{
    /// <summary>Cloud Run sends SIGKILL 10 s after SIGTERM; in-flight requests get 7 s, start-up and exit the rest.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(7);

    // The key WebApplication's builder and UseAuthentication() share (ASP.NET Core's WebApplicationBuilder).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// Builds the host for the function in <paramref name="functionAssembly"/>.
    /// </summary>
    /// <param name="functionAssembly">The assembly holding the function class and its startups.</param>
    /// <param name="args">Command-line arguments: <c>--target</c>, <c>--port</c> or a positional target.</param>
    /// <param name="environment">The environment variables to use instead of the process's (tests); they also become the configuration.</param>
    /// <exception cref="HostConfigurationException">The target or port cannot be resolved.</exception>
    public static WebApplication Build(Assembly functionAssembly, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(functionAssembly);
        Func<string, string?> variable = environment is null ? Environment.GetEnvironmentVariable : name => environment.GetValueOrDefault(name);
        var settings = HostSettings.Read(args, variable);
        var functionType = FunctionTargetResolver.Resolve(functionAssembly, settings.Target);
        var startups = FunctionsStartupLoader.Load(functionAssembly, functionType);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = functionAssembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (environment is not null)
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(environment);
        }
        ConfigureLogging(builder.Logging, settings);
        ConfigureServer(builder, settings);
        RegisterFunction(builder.Services, functionType);
        ApplyStartups(builder, startups);

        var app = builder.Build();
        // WebApplication puts ASP.NET Core's authentication middleware in front of every pipeline whose services include
        // authentication, unless this property says it is already placed; the framework's host (IHostBuilder) never
        // does. Without it a startup's own gate is the only authentication: a token is not validated twice per request,
        // and /healthz validates none.
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        BuildPipeline(app, startups);
        LogStart(app, settings, functionType);
        return app;
    }

    private static void ApplyStartups(WebApplicationBuilder builder, IReadOnlyList<FunctionsStartup> startups)
    {
        var context = new WebHostBuilderContext { HostingEnvironment = builder.Environment, Configuration = builder.Configuration };
        // As the Functions Framework's host does: every startup's configuration first, then every startup's services,
        // so a startup's services see settings a later startup added.
        foreach (var startup in startups)
        {
            startup.ConfigureAppConfiguration(context, builder.Configuration);
        }
        foreach (var startup in startups)
        {
            startup.ConfigureServices(context, builder.Services);
        }
        foreach (var startup in startups)
        {
            startup.ConfigureLogging(context, builder.Logging);
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, HostSettings settings)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Formatters are registered as plain services: AddConsoleFormatter binds options by reflection, which Native AOT cannot.
        if (settings.OnCloudRun)
        {
            logging.AddConsole(options => options.FormatterName = CloudLoggingJsonFormatter.FormatterName);
            logging.Services.AddSingleton<ConsoleFormatter, CloudLoggingJsonFormatter>();
            logging.Services.Configure<CloudLoggingFormatterOptions>(options => options.ProjectId = settings.ProjectId);
        }
        else
        {
            logging.AddConsole(options => options.FormatterName = ReadableLineFormatter.FormatterName);
            logging.Services.AddSingleton<ConsoleFormatter, ReadableLineFormatter>();
        }
    }

    private static void ConfigureServer(WebApplicationBuilder builder, HostSettings settings)
    {
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(settings.BindAllInterfaces ? IPAddress.IPv6Any : IPAddress.Loopback, settings.Port));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
    }

    private static void RegisterFunction(
        IServiceCollection services,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type functionType)
    {
        // Scoped, as in the framework: one instance per request, built with constructor injection.
        services.AddScoped(functionType);
        services.AddScoped(typeof(IHttpFunction), provider => provider.GetRequiredService(functionType));
    }

    private static void BuildPipeline(WebApplication app, IReadOnlyList<FunctionsStartup> startups)
    {
        // Outermost, so every line logged for the request, a startup's error line included, carries the request's trace.
        app.UseMiddleware<RequestTraceMiddleware>();
        var context = new WebHostBuilderContext { HostingEnvironment = app.Environment, Configuration = app.Configuration };
        foreach (var startup in startups)
        {
            startup.Configure(context, app);
        }
        // As the framework does, after every startup's middleware: these two never reach the function.
        app.Map("/robots.txt", NotFound);
        app.Map("/favicon.ico", NotFound);
        app.Run(FunctionInvoker.InvokeAsync);
    }

    private static void NotFound(IApplicationBuilder branch) =>
        branch.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

    private static void LogStart(WebApplication app, HostSettings settings, Type functionType)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionHost));
        app.Lifetime.ApplicationStarted.Register(() => HostLog.Serving(logger, functionType.FullName, string.Join(", ", app.Urls)));
        if (settings.OnCloudRun && settings.ProjectId is null)
        {
            HostLog.NoProjectForTraces(logger);
        }
    }
}
