using Dapper;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Invoices;

/// <summary>
/// Sets or clears an invoice's archived_at, the step DELETE (archive) and restore share; they differ only in the
/// direction and in whether If-Match is required. Checks the precondition, changes nothing when the invoice is already
/// where it is asked to go, and answers 200 with the invoice and its ETag.
/// </summary>
internal static class SetArchived
{
    internal sealed record Request(Caller Caller, Guid Id, InvoiceETag IfMatch, bool Archive);

    internal static async Task<IResult> HandleAsync(HttpContext context, Guid id, CallerTransaction transactions, bool archive, bool ifMatchRequired)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        var (ifMatch, problem) = Preconditions.ReadIfMatch(context.Request, required: ifMatchRequired);
        problem ??= unexpected.Count > 0 ? InvoiceProblems.BadQuery(unexpected) : null;
        if (problem is not null)
        {
            return problem;
        }
        var request = new Request(context.GetCaller(), id, ifMatch, archive);
        var (invoice, refused) = await transactions.RunAsync(request.Caller.Writes(archive ? "archive" : "restore"), (connection, transaction, token) => ChangeAsync(connection, transaction, request, token), context.RequestAborted);
        return refused ?? (IResult)InvoiceResponse.Ok(invoice!);
    }

    private static async Task<(InvoiceRow? Invoice, Problem? Problem)> ChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Request request, CancellationToken cancellationToken)
    {
        var current = await InvoiceLookup.LockAsync(connection, transaction, request.Id, request.Caller.AccountId, cancellationToken);
        if (current is null)
        {
            return (null, InvoiceProblems.InvoiceNotFound(request.Id));
        }
        if (Preconditions.Check(request.IfMatch, request.Id, current.Version) is { } stale)
        {
            return (null, stale);
        }
        if ((current.ArchivedAt is not null) == request.Archive)
        {
            return (current, null);
        }
        var changed = await connection.QuerySingleAsync<InvoiceRow>($"""
            UPDATE invoices SET archived_at = CASE WHEN @archive THEN now() END, version = version + 1, updated_at = now(),
                                updated_by = @memberId, updated_by_email = @memberEmail
            WHERE id = @id AND account_id = @accountId AND version = @expectedVersion
            RETURNING {InvoiceRow.Columns}
            """, new
            {
                id = request.Id, accountId = request.Caller.AccountId, expectedVersion = current.Version, archive = request.Archive,
                memberId = request.Caller.MemberId, memberEmail = request.Caller.MemberEmail, cancellationToken,
            }, transaction);
        return (changed, null);
    }
}
