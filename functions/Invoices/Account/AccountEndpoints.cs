using System.Buffers;
using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>GET /account: the account's legal name and NIT (nulls until an owner sets them); any member may read them.</summary>
internal sealed class GetAccount(ReadOnlyQuery reads) : IRouteHandler
{
    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (unexpected.Count > 0)
        {
            return InvoiceProblems.BadQuery(unexpected);
        }
        var scope = new DataScope(context.GetCaller().AccountId, false);
        var settings = await reads.RunAsync(scope, (connection, cancellationToken) =>
            AccountSettingsStore.ReadScopedAsync(connection, scope, cancellationToken), context.RequestAborted);
        return AccountResponse.Of(scope.AccountId, settings);
    }
}

/// <summary>
/// PUT /account: an owner sets the account's legal name and NIT (both may be null; the NIT is checked with DIAN's
/// algorithm and stored as <c>900123456-8</c>). Documents addressed to another NIT are then refused.
/// </summary>
internal sealed class PutAccount(CallerTransaction transactions) : IRouteHandler
{
    private static readonly HashSet<string> Fields = new HashSet<string>(StringComparer.Ordinal) { "legal_name", "nit" };
    private static readonly HashSet<string> ServerOwned = new HashSet<string>(StringComparer.Ordinal) { "account_id", "updated_at", "updated_by", "updated_by_email" };

    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var unexpected = new QueryReader(context.Request.Query).Errors();
        if (unexpected.Count > 0)
        {
            return InvoiceProblems.BadQuery(unexpected);
        }
        var body = await JsonBody.ReadAsync(context.Request, [JsonBody.Json], context.RequestAborted);
        using var document = body.Document;
        if (document is null)
        {
            return body.Problem!;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return InvoiceProblems.MalformedBody("The body must be a JSON object with legal_name and nit.");
        }
        var (legalName, nit, errors) = Read(document.RootElement);
        if (errors.Count > 0)
        {
            return InvoiceProblems.Validation(errors, "The account's settings are invalid; see errors. Nothing was changed.");
        }
        var caller = context.GetCaller();
        var saved = await transactions.RunAsync(caller.Writes("account"), (connection, transaction, token) =>
            AccountSettingsStore.SaveAsync(connection, transaction, caller.AccountId, legalName, nit, caller.MemberId, caller.MemberEmail, token),
            context.RequestAborted);
        return AccountResponse.Of(caller.AccountId, saved);
    }

    private static (string? LegalName, string? Nit, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors) Read(JsonElement body)
    {
        var errors = new FieldErrors();
        string? legalName = null, nit = null;
        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                if (!ServerOwned.Contains(property.Name))
                {
                    errors.Add(property.Name, "Unknown field; the account's settings are legal_name and nit.");
                }
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.String || !InvoiceDraftReader.IsStorable(property.Value.GetString()!))
            {
                errors.Add(property.Name, "Must be a string (valid Unicode, no NUL) or null.");
                continue;
            }
            var text = property.Value.GetString()!.Trim();
            if (property.Name == "legal_name")
            {
                legalName = text;
                if (text.Length is < 1 or > 200)
                {
                    errors.Add(property.Name, "Must be 1 to 200 characters after trimming, or null.");
                }
                continue;
            }
            switch (Invoices.Nit.Check(text, out var normalized))
            {
                case Invoices.Nit.Verdict.Valid:
                    nit = normalized;
                    break;
                case Invoices.Nit.Verdict.WrongCheckDigit:
                    errors.Add(property.Name, Invoices.Nit.WrongCheckDigitMessage);
                    break;
                default:
                    errors.Add(property.Name, Invoices.Nit.MalformedMessage);
                    break;
            }
        }
        return (legalName, nit, errors.ToDictionary());
    }
}

/// <summary>The account's settings as JSON; an account nobody has set up yet answers its id and nulls.</summary>
internal sealed class AccountResponse(byte[] body) : IResult
{
    internal static AccountResponse Of(string accountId, AccountSettings? settings)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("account_id", accountId);
            json.WriteStringOrNull("legal_name", settings?.LegalName);
            json.WriteStringOrNull("nit", settings?.Nit);
            json.WriteStringOrNull("updated_at", settings is null ? null : InvoiceFormats.Timestamp(settings.UpdatedAt));
            json.WriteStringOrNull("updated_by", settings?.UpdatedBy);
            json.WriteStringOrNull("updated_by_email", settings?.UpdatedByEmail);
            json.WriteEndObject();
        }
        return new AccountResponse(buffer.WrittenSpan.ToArray());
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = InvoiceResponse.JsonContentType;
        httpContext.Response.Headers.CacheControl = "private, no-cache";
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
