using Dapper;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// GET /{id}: one invoice (archived ones too) with its ETag; 304 when If-None-Match already names it. An admin token may
/// add <c>all_accounts=true</c> to read another account's invoice; anyone else asking for that gets 403.
/// </summary>
internal sealed class GetInvoice(ReadOnlyQuery reads) : IRouteHandler
{

    internal sealed record Request(Guid Id, DataScope Scope, InvoiceETag IfNoneMatch);

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var (request, problem) = Parse(context, route.Id);
        if (problem is not null)
        {
            return problem;
        }
        var invoice = await reads.RunAsync(request.Scope, (connection, cancellationToken) => connection.QuerySingleOrDefaultAsync<InvoiceRow>(
            $"{ReadOnlyQuery.Scope}SELECT {InvoiceRow.Columns} FROM invoices WHERE id = @id AND (account_id = @accountId OR @allAccounts)",
            new { id = request.Id, accountId = request.Scope.AccountId, allAccounts = request.Scope.ReadAllAccounts, cancellationToken }),
            context.RequestAborted);
        if (invoice is null)
        {
            return InvoiceProblems.InvoiceNotFound(request.Id);
        }
        if (request.IfNoneMatch.MatchesWeakly(invoice.Version))
        {
            InvoiceResponse.SetCacheHeaders(context.Response, InvoiceETag.For(invoice.Version));
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return InvoiceResponse.Ok(invoice);
    }

    private static (Request Request, Problem? Problem) Parse(HttpContext context, Guid id)
    {
        var caller = context.GetCaller();
        var reader = new QueryReader(context.Request.Query);
        var allAccounts = AllAccounts.Read(reader);
        var errors = reader.Errors();
        var ifNoneMatch = InvoiceETag.IfNoneMatch(context.Request);
        Problem? problem = errors.Count > 0 ? InvoiceProblems.BadQuery(errors)
            : ifNoneMatch.Malformed ? InvoiceProblems.BadETag("If-None-Match")
            : allAccounts && !caller.IsAdmin ? InvoiceProblems.AllAccountsForbidden()
            : null;
        return (new Request(id, new DataScope(caller.AccountId, allAccounts), ifNoneMatch), problem);
    }
}
