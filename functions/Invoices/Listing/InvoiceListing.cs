using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>The checks a list and an export share before they read: the query string, then who may see whose rows.</summary>
internal static class InvoiceListing
{
    /// <summary>The parsed request and the caller's data scope, or the problem to answer instead.</summary>
    internal static (InvoiceListRequest Request, DataScope Scope, Problem? Problem) Prepare(HttpContext context, bool paged, TimeProvider time)
    {
        var caller = context.GetCaller();
        var (request, errors) = InvoiceListRequest.Parse(context.Request.Query, paged, time);
        var scope = new DataScope(caller.AccountId, ReadAllAccounts: request.Filter.AllAccounts);
        if (errors.Count > 0)
        {
            return (request, scope, InvoiceProblems.BadQuery(errors));
        }
        if (request.Filter.AllAccounts && !caller.IsAdmin)
        {
            return (request, scope, InvoiceProblems.AllAccountsForbidden());
        }
        return (request, scope, null);
    }
}
