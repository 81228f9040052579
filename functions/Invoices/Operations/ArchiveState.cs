using Dapper;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Invoices.Data;
using Invoices.Http;
using Invoices.Model;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Invoices.Operations;

/// <summary>
/// Archiving and restoring, which differ only in the direction of archived_at and in whether If-Match is required:
/// checks the precondition, changes nothing when the invoice is already where it is asked to go, and answers 200 with
/// the invoice and its ETag.
/// </summary>
internal static class ArchiveState
{
    internal sealed record Request(string UserId, Guid Id, InvoiceETag IfMatch, bool Archive);

    internal static async Task HandleAsync(HttpContext context, Guid id, CallerTransaction transactions, bool archive, bool ifMatchRequired)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        var (ifMatch, problem) = Preconditions.ReadIfMatch(context.Request, required: ifMatchRequired);
        problem ??= unexpected.Count > 0 ? InvoiceProblems.BadQuery(unexpected) : null;
        if (problem is not null)
        {
            await ProblemWriter.WriteAsync(context, problem);
            return;
        }
        var request = new Request(context.GetCaller().UserId, id, ifMatch, archive);
        var (invoice, refused) = await transactions.RunAsync(request.UserId, (connection, transaction, token) => ChangeAsync(connection, transaction, request, token), context.RequestAborted);
        await (refused is not null ? ProblemWriter.WriteAsync(context, refused) : InvoiceResponse.WriteAsync(context, StatusCodes.Status200OK, invoice!));
    }

    private static async Task<(InvoiceRow? Invoice, Problem? Problem)> ChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Request request, CancellationToken cancellationToken)
    {
        var current = await InvoiceLookup.LockAsync(connection, transaction, request.Id, request.UserId, cancellationToken);
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
            UPDATE invoices SET archived_at = CASE WHEN @archive THEN now() END, version = version + 1, updated_at = now()
            WHERE id = @id AND user_id = @userId AND version = @expectedVersion
            RETURNING {InvoiceColumns.All}
            """, new { id = request.Id, userId = request.UserId, expectedVersion = current.Version, archive = request.Archive, cancellationToken }, transaction);
        return (changed, null);
    }
}
