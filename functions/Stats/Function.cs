using InvoiceApi.Data;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

[assembly: FunctionsStartup(typeof(Stats.Startup))]

namespace Stats;

/// <summary>Wires the database into the Stats function.</summary>
internal sealed class Startup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services) =>
        services.AddInvoiceDatabase(context.Configuration, applicationName: "stats");
}

/// <summary>
/// The dashboard API: totals, trends and breakdowns of the caller's invoices, read-only.
/// Inputs: the request path and method under the function's own URL. Its operations arrive with the Stats issue;
/// until then every path answers 404 problem+json (health and readiness are served by the host).
/// </summary>
internal sealed class Function : IHttpFunction
{
    /// <inheritdoc />
    public Task HandleAsync(HttpContext context) =>
        ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found",
            $"No dashboard operation answers {context.Request.Method} {context.Request.Path}."));
}
