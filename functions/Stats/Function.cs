using InvoiceApi.Functions.Api.Database;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stats.Caching;

// What the product adds around every request first (Order -1), then this function's own services.
[assembly: FunctionsStartup(typeof(InvoiceApi.Functions.Api.ApiStartup), Order = -1)]
[assembly: FunctionsStartup(typeof(Stats.Startup))]

namespace Stats;

/// <summary>Wires the database, the figures cache and the operations of <see cref="Function.Routes"/> into the Stats function.</summary>
internal sealed class Startup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
        services.AddInvoiceDatabase(context.Configuration, applicationName: "stats");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(FiguresCache.FromSettings(name => context.Configuration[name]));
        // Figures are read from STATS_READ_REPLICA_* when set, from the primary otherwise or while the replica is down.
        services.AddReplicaReadOnlyQuery(context.Configuration, "STATS_READ_REPLICA");
        Function.Routes.AddHandlers(services);
    }
}

/// <summary>
/// The dashboard API: totals, trends, breakdowns and tax figures of the account's invoices, read-only.
/// Inputs: <c>GET /dashboard</c>, <c>GET /trend</c>, <c>GET /providers</c>, <c>GET /taxes</c> with the query parameters
/// <c>GET /openapi.json</c> describes, and the caller from the bearer token.
/// </summary>
internal sealed class Function : IHttpFunction
{
    /// <summary>The operations, by method and path under the function's own URL (HEAD answered wherever GET is).</summary>
    internal static readonly RouteTable Routes = new RouteTable()
        .Get<GetDashboard>("/dashboard")
        .Get<GetTrend>("/trend")
        .Get<GetProviders>("/providers")
        .Get<GetTaxes>("/taxes")
        .OpenApi(typeof(Function).Assembly);

    /// <inheritdoc />
    public Task HandleAsync(HttpContext context) => Routes.DispatchAsync(context);
}
