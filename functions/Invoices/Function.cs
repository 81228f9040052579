using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Database;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

// What the product adds around every request first (Order -1), then this function's own services.
[assembly: FunctionsStartup(typeof(InvoiceApi.Functions.Api.ApiStartup), Order = -1)]
[assembly: FunctionsStartup(typeof(Invoices.Startup))]

namespace Invoices;

/// <summary>Wires the database, the invoice rules and the handler of every route into the Invoices function.</summary>
internal sealed class Startup : FunctionsStartup
{
    /// <inheritdoc />
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services)
    {
        services.AddInvoiceDatabase(context.Configuration, applicationName: "invoices");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InvoiceDraftValidator>();
        services.AddSingleton<IProblemMapper, DatabaseRuleProblemMapper>();
        services.AddSingleton<UpdateInvoiceFields>();
        Function.Routes.AddHandlers(services);
    }
}

/// <summary>
/// The invoice API: record, find, change, archive, import and export the supplier invoices of the caller's account,
/// take in suppliers' DIAN electronic documents (docs/documents.md), read each invoice's history, and keep the account's
/// legal name and NIT. Reads need the viewer role, writes the editor role (docs/accounts.md).
/// Inputs: the method and path under the function's own URL (the routes below), the caller from the bearer token, and
/// JSON or CSV bodies as <c>GET /openapi.json</c> describes them.
/// </summary>
internal sealed class Function : IHttpFunction
{
    /// <summary>Every route of the function and the handler that answers it; any other path is 404, another method 405.</summary>
    internal static readonly RouteTable Routes = new RouteTable()
        .Get<ListInvoices>("/")
        .Post<CreateInvoice>("/", AccountRole.Editor)
        .Get<ExportInvoices>("/export.csv")
        .Post<ImportInvoices>("/import", AccountRole.Editor)
        .Post<ReceiveDocuments>("/documents", AccountRole.Editor)
        .Get<GetAccount>("/account")
        .Put<PutAccount>("/account", AccountRole.Owner)
        .OpenApi(typeof(Function).Assembly)
        .Get<GetInvoice>("/{id}")
        .Put<ReplaceInvoice>("/{id}", AccountRole.Editor)
        .Patch<PatchInvoice>("/{id}", AccountRole.Editor)
        .Delete<ArchiveInvoice>("/{id}", AccountRole.Editor)
        .Post<RestoreInvoice>("/{id}/restore", AccountRole.Editor)
        .Get<GetInvoiceHistory>("/{id}/history")
        .Get<GetInvoiceDocument>("/{id}/document.xml");

    /// <inheritdoc />
    public Task HandleAsync(HttpContext context) => Routes.DispatchAsync(context);
}
