using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>The problems of an Idempotency-Key: malformed, reused with another request, or still in use by the first.</summary>
internal static class IdempotencyProblems
{
    internal const string BadIdempotencyKeyType = ProblemTypes.Prefix + "bad-idempotency-key";
    internal const string IdempotencyKeyReusedType = ProblemTypes.Prefix + "idempotency-key-reused";
    internal const string IdempotencyKeyInUseType = ProblemTypes.Prefix + "idempotency-key-in-use";

    /// <summary>How long a client waits before retrying a request whose idempotency key is still being served.</summary>
    internal static readonly TimeSpan InUseRetryAfter = TimeSpan.FromSeconds(1);

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
