using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>The problems the invoice operations answer with (RFC 9457, docs/api.md "Errors"), but for idempotency's (<see cref="IdempotencyProblems"/>).</summary>
internal static class InvoiceProblems
{
    internal const string ValidationType = ProblemTypes.Prefix + "validation";
    internal const string BadQueryType = ProblemTypes.Prefix + "bad-query";
    internal const string MalformedBodyType = ProblemTypes.Prefix + "malformed-body";
    internal const string UnsupportedMediaType = ProblemTypes.Prefix + "unsupported-media-type";
    internal const string PreconditionRequiredType = ProblemTypes.Prefix + "precondition-required";
    internal const string PreconditionFailedType = ProblemTypes.Prefix + "precondition-failed";
    internal const string BadETagType = ProblemTypes.Prefix + "bad-etag";
    internal const string StatusTransitionType = ProblemTypes.Prefix + "status-transition";
    internal const string ArchivedType = ProblemTypes.Prefix + "archived";
    internal const string ForbiddenType = ProblemTypes.Prefix + "forbidden";
    internal const string DuplicateDocumentType = ProblemTypes.Prefix + "duplicate-document";

    /// <summary>404: the invoice does not exist for this caller (another caller's invoice gets the same answer).</summary>
    internal static Problem InvoiceNotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Invoice not found", $"There is no invoice {id}.");

    /// <summary>400: a query parameter is malformed or out of range; <paramref name="errors"/> names each one.</summary>
    internal static Problem BadQuery(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) =>
        new(StatusCodes.Status400BadRequest, BadQueryType, "Invalid query parameters",
            "One or more query parameters are invalid; see errors.") { Errors = errors };

    /// <summary>400: the body is not the JSON (or CSV) the operation reads, or a value has the wrong type.</summary>
    internal static Problem MalformedBody(string detail, IReadOnlyDictionary<string, IReadOnlyList<string>>? errors = null) =>
        new(StatusCodes.Status400BadRequest, MalformedBodyType, "Malformed request body", detail) { Errors = errors };

    /// <summary>415: the body's Content-Type is not one the operation reads.</summary>
    internal static Problem UnsupportedContentType(string? sent, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, UnsupportedMediaType, "Unsupported media type",
            $"The body must be {accepted}; it was {(string.IsNullOrEmpty(sent) ? "sent without a Content-Type" : sent)}.");

    /// <summary>422: well-formed input that breaks the invoice rules; <paramref name="errors"/> names each field.</summary>
    internal static Problem Validation(IReadOnlyDictionary<string, IReadOnlyList<string>> errors, string detail = "One or more fields are invalid; see errors.") =>
        new(StatusCodes.Status422UnprocessableEntity, ValidationType, "Invalid invoice", detail) { Errors = errors };

    internal static Problem PreconditionRequired() =>
        new(StatusCodes.Status428PreconditionRequired, PreconditionRequiredType, "If-Match required",
            "Send If-Match with the invoice's ETag (from GET) so a change cannot overwrite one you have not seen.");

    internal static Problem PreconditionFailed(Guid id, int currentVersion) =>
        new(StatusCodes.Status412PreconditionFailed, PreconditionFailedType, "Precondition failed",
            $"Invoice {id} has changed: its ETag is now \"{currentVersion}\". GET it again, then retry with the new ETag.");

    internal static Problem BadETag(string header) =>
        new(StatusCodes.Status400BadRequest, BadETagType, $"Malformed {header}",
            $"{header} must be * or a list of the ETags this API sends, such as \"3\".");

    internal static Problem StatusTransition(string from, string to) =>
        new(StatusCodes.Status409Conflict, StatusTransitionType, "Status change not allowed",
            $"An invoice cannot go from {from} to {to}. Allowed: pending -> paid, pending -> void, paid -> pending; void is final.");

    internal static Problem Archived(Guid id) =>
        new(StatusCodes.Status409Conflict, ArchivedType, "Invoice archived",
            $"Invoice {id} is archived and cannot be changed; POST /{id}/restore first.");

    /// <summary>409: the account already has the invoice with this CUFE; nothing was written.</summary>
    internal static Problem DuplicateDocument(Guid? existing) =>
        new(StatusCodes.Status409Conflict, DuplicateDocumentType, "Document already recorded",
            $"This account already has the invoice with this CUFE{(existing is { } id ? $": {id}" : "")}. A DIAN document is recorded once; change that invoice instead.");

    internal static Problem AllAccountsForbidden() =>
        new(StatusCodes.Status403Forbidden, ForbiddenType, "Forbidden", "all_accounts=true needs a token with the platform's admin role.");
}
