using System.Globalization;
using System.Text.Json;
using Dapper;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// GET /{id}/history: the invoice's changes, newest first, a page at a time (<c>limit</c>, <c>cursor</c>). Each entry says
/// who (the member's sub and verified email), when, which operation, the version it produced and every field that
/// changed with its old and new value. Entries are written by the database in the changing transaction (migration
/// 0007); nothing in the API can edit or delete them, and the functions' database role may only read them.
/// </summary>
internal sealed class GetInvoiceHistory(ReadOnlyQuery reads) : IRouteHandler
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    internal sealed record Request(Guid Id, DataScope Scope, int Limit, long? Before);

    /// <summary>One entry; <see cref="Entry"/> is null when the invoice exists but has no entries past the cursor.</summary>
    internal sealed record HistoryRow(long? Entry, DateTime? At, string? Operation, string? MemberId, string? MemberEmail, int? Version, string? Changes);

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var (request, problem) = Parse(context, route.Id);
        if (problem is not null)
        {
            return problem;
        }
        // One statement: the invoice must be the account's (else 404, as for GET /{id}), then its page of entries.
        var rows = (await reads.RunAsync(request.Scope, (connection, cancellationToken) => connection.QueryAsync<HistoryRow>($"""
            {ReadOnlyQuery.Scope}SELECT h.entry, h.at, h.operation, h.member_id, h.member_email, h.version, h.changes::text AS changes
            FROM invoices AS i
            LEFT JOIN LATERAL (
                SELECT entry, at, operation, member_id, member_email, version, changes
                FROM invoice_history
                WHERE account_id = i.account_id AND invoice_id = i.id AND (@before IS NULL OR entry < @before)
                ORDER BY entry DESC
                LIMIT @rows
            ) AS h ON true
            WHERE i.id = @id AND i.account_id = @accountId
            ORDER BY h.entry DESC
            """, new { id = request.Id, accountId = request.Scope.AccountId, allAccounts = request.Scope.ReadAllAccounts, before = request.Before, rows = request.Limit + 1, cancellationToken }),
            context.RequestAborted)).ToList();
        if (rows.Count == 0)
        {
            return InvoiceProblems.InvoiceNotFound(request.Id);
        }
        var entries = rows.Where(row => row.Entry is not null).ToList();
        var page = entries.Count > request.Limit ? entries.GetRange(0, request.Limit) : entries;
        var next = entries.Count > request.Limit ? page[^1].Entry!.Value.ToString(CultureInfo.InvariantCulture) : null;
        return new Page(page, next);
    }

    private static (Request Request, Problem? Problem) Parse(HttpContext context, Guid id)
    {
        var reader = new QueryReader(context.Request.Query);
        var limit = reader.WholeNumber("limit", DefaultLimit, 1, MaxLimit);
        var cursor = reader.Text("cursor", maxLength: 20);
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var entry) && entry > 0)
            {
                before = entry;
            }
            else
            {
                reader.Fail("cursor", "Not a cursor this API issued; use next_cursor exactly as returned.");
            }
        }
        var errors = reader.Errors();
        var request = new Request(id, DataScope.Of(context.GetCaller().AccountId), limit, before);
        return (request, errors.Count > 0 ? InvoiceProblems.BadQuery(errors) : null);
    }

    private sealed class Page(List<HistoryRow> entries, string? next) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await using var json = new Utf8JsonWriter(context.Response.BodyWriter, ApiJson.WriterOptions);
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("at", InvoiceFormats.Timestamp(entry.At!.Value));
                json.WriteString("operation", entry.Operation);
                json.WriteString("member_id", entry.MemberId);
                json.WriteStringOrNull("member_email", entry.MemberEmail);
                json.WriteNumber("version", entry.Version!.Value);
                json.WritePropertyName("changes");
                // jsonb's own text, written as it is: the database built it.
                json.WriteRawValue(entry.Changes!, skipInputValidation: true);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("next_cursor", next);
            json.WriteEndObject();
        }
    }
}
