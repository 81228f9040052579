using InvoiceApi.Data.Connection;
using InvoiceApi.Functions.Api.Database;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stats.Caching;
using Stats.Operations;
using Stats.Problems;
using Stats.Routing;

// What the product adds around every request first (Order -1), then this function's own services.
[assembly: FunctionsStartup(typeof(InvoiceApi.Functions.Api.ApiStartup), Order = -1)]
[assembly: FunctionsStartup(typeof(Stats.Startup))]

namespace Stats;

/// <summary>Wires the database and one service per operation into the Stats function.</summary>
internal sealed class Startup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
        services.AddInvoiceDatabase(context.Configuration, applicationName: "stats");
        // Registered after the shared one, so this one wins: the same settings with statements prepared once per connection.
        services.AddSingleton(provider => StatsDataSource.Create(provider.GetRequiredService<DatabaseEndpoint>(), provider.GetRequiredService<DatabasePoolOptions>()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(FiguresCache.FromSettings(name => context.Configuration[name]));
        // Figures are read from STATS_READ_REPLICA_* when set, from the primary otherwise or while the replica is down.
        services.AddReplicaReadOnlyQuery(context.Configuration, "STATS_READ_REPLICA", StatsDataSource.Create);
        services.AddKeyedSingleton<IStatsOperation, GetDashboard>(StatsRoute.Dashboard);
        services.AddKeyedSingleton<IStatsOperation, GetTrend>(StatsRoute.Trend);
        services.AddKeyedSingleton<IStatsOperation, GetProviders>(StatsRoute.Providers);
        services.AddKeyedSingleton<IStatsOperation, ServeOpenApi>(StatsRoute.OpenApi);
    }
}

/// <summary>
/// The dashboard API: totals, trends and breakdowns of the caller's invoices, read-only.
/// Inputs: <c>GET /dashboard</c>, <c>GET /trend</c>, <c>GET /providers</c> with the query parameters
/// <c>GET /openapi.json</c> describes, and the caller from the bearer token.
/// </summary>
internal sealed class Function(IServiceProvider services) : IHttpFunction
{
    /// <inheritdoc />
    public Task HandleAsync(HttpContext context)
    {
        switch (StatsRouter.Match(context.Request.Method, context.Request.Path))
        {
            case StatsRoute.None:
                return ProblemWriter.WriteAsync(context, StatsProblems.NoSuchRoute(context.Request));
            case StatsRoute.WrongMethod:
                context.Response.Headers.Allow = StatsRouter.Allowed;
                return ProblemWriter.WriteAsync(context, StatsProblems.MethodNotAllowed(context.Request, StatsRouter.Allowed));
            case var route:
                return services.GetRequiredKeyedService<IStatsOperation>(route).HandleAsync(context);
        }
    }
}
