using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Problems;

/// <summary>The problems of reading and changing one invoice: preconditions, state conflicts, idempotency, admin reads.</summary>
internal static class InvoiceStateProblems
{
    internal const string PreconditionRequiredType = ProblemTypes.Prefix + "precondition-required";
    internal const string PreconditionFailedType = ProblemTypes.Prefix + "precondition-failed";
    internal const string BadETagType = ProblemTypes.Prefix + "bad-etag";
    internal const string StatusTransitionType = ProblemTypes.Prefix + "status-transition";
    internal const string ArchivedType = ProblemTypes.Prefix + "archived";
    internal const string ForbiddenType = ProblemTypes.Prefix + "forbidden";
    internal const string BadIdempotencyKeyType = ProblemTypes.Prefix + "bad-idempotency-key";
    internal const string IdempotencyKeyReusedType = ProblemTypes.Prefix + "idempotency-key-reused";
    internal const string IdempotencyKeyInUseType = ProblemTypes.Prefix + "idempotency-key-in-use";

    /// <summary>How long a client waits before retrying a request whose idempotency key is still being served.</summary>
    internal static readonly TimeSpan InUseRetryAfter = TimeSpan.FromSeconds(1);

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

    internal static Problem AllCallersForbidden() =>
        new(StatusCodes.Status403Forbidden, ForbiddenType, "Forbidden", "all_callers=true needs a token with the admin role.");

    internal static Problem BadIdempotencyKey() =>
        new(StatusCodes.Status400BadRequest, BadIdempotencyKeyType, "Malformed Idempotency-Key",
            "Idempotency-Key must be sent once, with 1 to 255 visible ASCII characters.");

    internal static Problem IdempotencyKeyReused() =>
        new(StatusCodes.Status422UnprocessableEntity, IdempotencyKeyReusedType, "Idempotency-Key reused",
            "This Idempotency-Key was already used with a different request body; use a new key for a new request.");

    internal static Problem IdempotencyKeyInUse() =>
        new(StatusCodes.Status409Conflict, IdempotencyKeyInUseType, "Request still running",
            "A request with this Idempotency-Key is still being processed; retry shortly to get its response.")
        {
            RetryAfter = InUseRetryAfter,
        };
}
