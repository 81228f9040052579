using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Browser;
using InvoiceApi.Functions.Api.Limits;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Readiness;
using InvoiceApi.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Api;

/// <summary>
/// Everything this product adds around a function's request, registered the way Google's Middleware example does:
/// token validation and the caller gate, CORS, head and body limits, the per-caller rate limit, exceptions as
/// problem+json, security headers, Server-Timing, <c>/healthz</c> and <c>/readyz</c>. A function names it with
/// <c>[assembly: FunctionsStartup(typeof(InvoiceApi.Functions.Api.ApiStartup), Order = -1)]</c>, so it runs before the
/// function's own startup and its middleware wraps the function's.
/// </summary>
/// <remarks>Settings are read from the configuration (the environment on Cloud Run); a wrong one fails the start with
/// a <see cref="FunctionConfigurationException"/> that names it.</remarks>
public sealed class ApiStartup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = ApiSettings.Read(name => context.Configuration[name]);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Cors);
        services.AddCallerAuthentication(settings.Auth);
        // The token handler judges expiry by the system clock; so does the table of tokens it already accepted.
        services.AddSingleton(new AcceptedTokens(TimeProvider.System));
        // Authentication registers Data Protection, which nothing here uses: its keys stay in memory, nothing is written.
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new InMemoryKeyRepository());
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestBodyLimit.DefaultBytes;
            RequestHeadLimit.ConfigureServer(kestrel.Limits);
        });
        services.AddCallerRateLimit(settings.RateLimit);
        // /healthz and /readyz even when nothing registers a readiness check.
        services.AddHealthChecks();
    }

    /// <inheritdoc />
    public override void ConfigureLogging(WebHostBuilderContext context, ILoggingBuilder logging)
    {
        // ASP.NET Core's per-request information lines cost a log entry per request; its warnings and errors stay. Set
        // here, not only in our host, so the level holds under Google's host too.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Data Protection warns that its in-memory keys are neither encrypted nor persisted: by design here (InMemoryKeyRepository).
        logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // /readyz logs one warning naming what is wrong; the health check service would repeat each failed check as an error.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
    }

    /// <inheritdoc />
    public override void Configure(WebHostBuilderContext context, IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.ApplicationServices.GetRequiredService<ApiSettings>();
        LogStart(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ApiStartup>(), settings);
        // Outermost, so every response gets its headers, errors included; the timing covers all the rest.
        app.UseMiddleware<ServerTimingMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<UnhandledExceptionMiddleware>();
        // Before the head limits, so a 414 or 431 for a listed origin carries CORS headers and the page can read it;
        // preflights carry no token, so they are answered before the caller gate.
        app.UseMiddleware<CorsMiddleware>();
        app.UseMiddleware<RequestHeadLimitMiddleware>();
        app.UseMiddleware<ReservedPathsMiddleware>();
        ReadinessResponse.Map(app);
        app.UseMiddleware<CallerGateMiddleware>();
        // After the gate: counted per authenticated caller.
        app.UseCallerRateLimit(settings.RateLimit);
    }

    private static void LogStart(ILogger logger, ApiSettings settings)
    {
        ApiLog.AcceptedTokens(logger, settings.Auth.Describe());
        if (settings.OnCloudRun && settings.Auth.Local is not null)
        {
            ApiLog.LocalKeyOnCloudRun(logger, AuthSettings.LoudLocalOverride);
        }
        ApiLog.Limits(logger, settings.Cors.Describe(), settings.RateLimit.Describe(), RequestBodyLimit.DefaultBytes);
    }
}
