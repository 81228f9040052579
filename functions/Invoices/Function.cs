using InvoiceApi.Data;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

[assembly: FunctionsStartup(typeof(Invoices.Startup))]

namespace Invoices;

/// <summary>Wires the database into the Invoices function.</summary>
internal sealed class Startup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services) =>
        services.AddInvoiceDatabase(context.Configuration, applicationName: "invoices");
}

/// <summary>
/// The invoice API: record, find, change, archive, import and export supplier invoices.
/// Inputs: the request path and method under the function's own URL. Its operations arrive with the Invoices issue;
/// until then every path answers 404 problem+json (health and readiness are served by the host).
/// </summary>
internal sealed class Function : IHttpFunction
{
    /// <inheritdoc />
    public Task HandleAsync(HttpContext context) =>
        ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found",
            $"No invoice operation answers {context.Request.Method} {context.Request.Path}."));
}
