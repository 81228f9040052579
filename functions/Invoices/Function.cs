using InvoiceApi.Functions.Api.Database;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Problems;
using Invoices.Input;
using Invoices.Operations;
using Invoices.Problems;
using Invoices.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

// What the product adds around every request first (Order -1), then this function's own services.
[assembly: FunctionsStartup(typeof(InvoiceApi.Functions.Api.ApiStartup), Order = -1)]
[assembly: FunctionsStartup(typeof(Invoices.Startup))]

namespace Invoices;

/// <summary>Wires the database and one service per operation into the Invoices function.</summary>
internal sealed class Startup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
        services.AddInvoiceDatabase(context.Configuration, applicationName: "invoices");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InvoiceDraftValidator>();
        services.AddSingleton<IProblemMapper, DatabaseRuleProblemMapper>();
        services.AddSingleton<InvoiceChange>();
        services.AddKeyedSingleton<IInvoiceOperation, ListInvoices>(InvoiceRoute.List);
        services.AddKeyedSingleton<IInvoiceOperation, CreateInvoice>(InvoiceRoute.Create);
        services.AddKeyedSingleton<IInvoiceOperation, ExportInvoices>(InvoiceRoute.Export);
        services.AddKeyedSingleton<IInvoiceOperation, ImportInvoices>(InvoiceRoute.Import);
        services.AddKeyedSingleton<IInvoiceOperation, ServeOpenApi>(InvoiceRoute.OpenApi);
        services.AddKeyedSingleton<IInvoiceOperation, GetInvoice>(InvoiceRoute.Get);
        services.AddKeyedSingleton<IInvoiceOperation, ReplaceInvoice>(InvoiceRoute.Replace);
        services.AddKeyedSingleton<IInvoiceOperation, PatchInvoice>(InvoiceRoute.Patch);
        services.AddKeyedSingleton<IInvoiceOperation, ArchiveInvoice>(InvoiceRoute.Archive);
        services.AddKeyedSingleton<IInvoiceOperation, RestoreInvoice>(InvoiceRoute.Restore);
    }
}

/// <summary>
/// The invoice API: record, find, change, archive, import and export the caller's supplier invoices.
/// Inputs: the method and path under the function's own URL (<c>GET /</c>, <c>POST /</c>, <c>GET|PUT|PATCH|DELETE /{id}</c>,
/// <c>POST /{id}/restore</c>, <c>POST /import</c>, <c>GET /export.csv</c>, <c>GET /openapi.json</c>), the caller from the
/// bearer token, and JSON or CSV bodies as <c>GET /openapi.json</c> describes them.
/// </summary>
internal sealed class Function(IServiceProvider services) : IHttpFunction
{
    /// <inheritdoc />
    public Task HandleAsync(HttpContext context)
    {
        var match = InvoiceRouter.Match(context.Request.Method, context.Request.Path);
        switch (match.Route)
        {
            case InvoiceRoute.None:
                return ProblemWriter.WriteAsync(context, InvoiceProblems.NoSuchRoute(context.Request));
            case InvoiceRoute.WrongMethod:
                context.Response.Headers.Allow = match.Allowed;
                return ProblemWriter.WriteAsync(context, InvoiceProblems.MethodNotAllowed(context.Request, match.Allowed));
            default:
                return services.GetRequiredKeyedService<IInvoiceOperation>(match.Route).HandleAsync(context, match.Id);
        }
    }
}
