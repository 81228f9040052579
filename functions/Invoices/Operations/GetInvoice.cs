using Dapper;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Invoices.Http;
using Invoices.Model;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>
/// GET /{id}: one invoice (archived ones too) with its ETag; 304 when If-None-Match already names it. An admin token may
/// add <c>all_callers=true</c> to read another caller's invoice; anyone else asking for that gets 403.
/// </summary>
internal sealed class GetInvoice(ReadOnlyQuery reads) : IInvoiceOperation
{
    private const string AllCallers = "all_callers";

    internal sealed record Request(Guid Id, DataScope Scope, InvoiceETag IfNoneMatch);

    public async Task HandleAsync(HttpContext context, Guid id)
    {
        var (request, problem) = Parse(context, id);
        if (problem is not null)
        {
            await ProblemWriter.WriteAsync(context, problem);
            return;
        }
        var invoice = await reads.RunAsync(request.Scope, (connection, cancellationToken) => connection.QuerySingleOrDefaultAsync<InvoiceRow>(
            $"SELECT {InvoiceColumns.All} FROM invoices WHERE id = @id AND (user_id = @userId OR @allCallers)",
            new { id = request.Id, userId = request.Scope.UserId, allCallers = request.Scope.ReadAllCallers, cancellationToken }),
            context.RequestAborted);
        if (invoice is null)
        {
            await ProblemWriter.WriteAsync(context, InvoiceProblems.InvoiceNotFound(id));
        }
        else if (request.IfNoneMatch.MatchesWeakly(invoice.Version))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            context.Response.Headers.ETag = InvoiceETag.For(invoice.Version);
            context.Response.Headers.CacheControl = "private, no-cache";
        }
        else
        {
            await InvoiceResponse.WriteAsync(context, StatusCodes.Status200OK, invoice);
        }
    }

    private static (Request Request, Problem? Problem) Parse(HttpContext context, Guid id)
    {
        var caller = context.GetCaller();
        var query = context.Request.Query;
        var reader = new QueryReader(query);
        var allCallers = reader.Flag(AllCallers);
        var errors = reader.Errors();
        var ifNoneMatch = InvoiceETag.IfNoneMatch(context.Request);
        Problem? problem = errors.Count > 0 ? InvoiceProblems.BadQuery(errors)
            : ifNoneMatch.Malformed ? InvoiceStateProblems.BadETag("If-None-Match")
            : allCallers && !caller.IsAdmin ? InvoiceStateProblems.AllCallersForbidden()
            : null;
        return (new Request(id, new DataScope(caller.UserId, allCallers), ifNoneMatch), problem);
    }
}
