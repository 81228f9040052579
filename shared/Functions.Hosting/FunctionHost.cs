using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Reflection;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting.Auth;
using InvoiceApi.Functions.Hosting.Browser;
using InvoiceApi.Functions.Hosting.Limits;
using InvoiceApi.Functions.Hosting.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace InvoiceApi.Functions.Hosting;

/// <summary>
/// Builds the web host for one function: the Functions Framework contract (target, port, startups, reserved paths)
/// plus what production needs (Cloud Logging JSON, problem+json errors, health endpoints, a shutdown inside Cloud Run's 10 s).
/// </summary>
public static class FunctionHost
{
    /// <summary>Cloud Run sends SIGKILL 10 s after SIGTERM; in-flight requests get 7 s, start-up and exit the rest.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(7);

    /// <summary>Largest request body by default (API.md); an operation that accepts more raises it for its own request.</summary>
    public const long MaxRequestBodyBytes = RequestBodyLimit.DefaultBytes;

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
        var auth = AuthSettings.Read(variable, settings.OnCloudRun);
        var cors = CorsSettings.Read(variable);
        var rateLimit = RateLimitSettings.Read(variable);

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
        builder.Services.AddCallerAuthentication(auth);
        RegisterLimits(builder.Services, cors, rateLimit);
        ApplyStartups(builder, startups);

        var app = builder.Build();
        BuildPipeline(app, startups, rateLimit);
        LogStart(app, settings, auth, functionType);
        LogLimits(app, cors, rateLimit);
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
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            RequestHeadLimit.ConfigureServer(kestrel.Limits);
            kestrel.Listen(settings.BindAllInterfaces ? IPAddress.IPv6Any : IPAddress.Loopback, settings.Port);
        });
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

    private static void RegisterLimits(IServiceCollection services, CorsSettings cors, RateLimitSettings rateLimit)
    {
        services.AddSingleton(cors);
        if (rateLimit.Enabled)
        {
            // Built by the container, so it is disposed with the host.
            services.AddSingleton(_ => new CallerRateLimiter(rateLimit));
        }
    }

    private static void BuildPipeline(WebApplication app, IReadOnlyList<FunctionsStartup> startups, RateLimitSettings rateLimit)
    {
        // Outermost, so every response gets its headers, errors included; the timing covers all the rest.
        app.UseMiddleware<ServerTimingMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // Outside the exception handler: the line that logs a failed request carries the request's trace.
        app.UseMiddleware<RequestTraceMiddleware>();
        app.UseMiddleware<UnhandledExceptionMiddleware>();
        // Before the head limits, so a 414 or 431 for a listed origin carries CORS headers and the page can read it;
        // preflights carry no token, so they are answered before the caller gate.
        app.UseMiddleware<CorsMiddleware>();
        app.UseMiddleware<RequestHeadLimitMiddleware>();
        app.UseMiddleware<HostPathsMiddleware>();
        app.UseMiddleware<CallerGateMiddleware>();
        if (rateLimit.Enabled)
        {
            // After the gate: counted per authenticated caller.
            app.UseMiddleware<CallerRateLimitMiddleware>();
        }
        var context = new WebHostBuilderContext { HostingEnvironment = app.Environment, Configuration = app.Configuration };
        foreach (var startup in startups)
        {
            startup.Configure(context, app);
        }
        app.Run(FunctionInvoker.InvokeAsync);
    }

    private static void LogLimits(WebApplication app, CorsSettings cors, RateLimitSettings rateLimit)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionHost));
        HostLog.Limits(logger, cors.Describe(), rateLimit.Describe(), MaxRequestBodyBytes);
    }

    private static void LogStart(WebApplication app, HostSettings settings, AuthSettings auth, Type functionType)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionHost));
        app.Lifetime.ApplicationStarted.Register(() => HostLog.Serving(logger, functionType.FullName, string.Join(", ", app.Urls)));
        HostLog.AcceptedTokens(logger, auth.Describe());
        if (settings.OnCloudRun && auth.Local is not null)
        {
            HostLog.LocalKeyOnCloudRun(logger, AuthSettings.LoudLocalOverride);
        }
        if (settings.OnCloudRun && settings.ProjectId is null)
        {
            HostLog.NoProjectForTraces(logger);
        }
    }
}
