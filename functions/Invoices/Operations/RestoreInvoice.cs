using Dapper;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Hosting.Auth;
using InvoiceApi.Functions.Hosting.Problems;
using Invoices.Data;
using Invoices.Http;
using Invoices.Model;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Invoices.Operations;

/// <summary>
/// POST /{id}/restore: brings an archived invoice back (clears archived_at, version +1). If-Match is optional here (a
/// restore overwrites no field) and honoured when sent. Answers 200 with the invoice and its ETag; restoring a live
/// invoice changes nothing. A body, if any, is ignored.
/// </summary>
internal sealed class RestoreInvoice(CallerTransaction transactions) : IInvoiceOperation
{
    internal sealed record Request(string UserId, Guid Id, InvoiceETag IfMatch);

    public async Task HandleAsync(HttpContext context, Guid id)
    {
        var unexpected = QueryParameters.Unexpected(context.Request.Query);
        var (ifMatch, problem) = Preconditions.ReadIfMatch(context.Request, required: false);
        problem ??= unexpected.Count > 0 ? InvoiceProblems.BadQuery(unexpected) : null;
        if (problem is not null)
        {
            await ProblemWriter.WriteAsync(context, problem);
            return;
        }
        var request = new Request(context.GetCaller().UserId, id, ifMatch);
        var (invoice, refused) = await transactions.RunAsync(request.UserId, (connection, transaction, token) => RestoreAsync(connection, transaction, request, token), context.RequestAborted);
        await (refused is not null ? ProblemWriter.WriteAsync(context, refused) : InvoiceResponse.WriteAsync(context, StatusCodes.Status200OK, invoice!));
    }

    private static async Task<(InvoiceRow? Invoice, Problem? Problem)> RestoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Request request, CancellationToken cancellationToken)
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
        if (current.ArchivedAt is null)
        {
            return (current, null);
        }
        var restored = await connection.QuerySingleAsync<InvoiceRow>($"""
            UPDATE invoices SET archived_at = NULL, version = version + 1, updated_at = now()
            WHERE id = @id AND user_id = @userId AND version = @expectedVersion
            RETURNING {InvoiceColumns.All}
            """, new { id = request.Id, userId = request.UserId, expectedVersion = current.Version, cancellationToken }, transaction);
        return (restored, null);
    }
}
