namespace InvoiceApi.Functions.Api.Problems;

/// <summary>The problem type URIs the host itself produces.</summary>
public static class ProblemTypes
{
    /// <summary>Prefix of every problem type of this API.</summary>
    public const string Prefix = "urn:invoice-api:problem:";

    /// <summary>An unexpected failure inside the function.</summary>
    public const string InternalError = Prefix + "internal-error";

    /// <summary>A dependency (the database) could not serve the request right now.</summary>
    public const string ServiceUnavailable = Prefix + "service-unavailable";

    /// <summary>The live database lacks a table or column this version of the code needs: the migrations must be run.</summary>
    public const string SchemaMismatch = Prefix + "schema-mismatch";

    /// <summary>The service is alive but not ready to take traffic.</summary>
    public const string NotReady = Prefix + "not-ready";

    /// <summary>The request itself was malformed at the HTTP level (too large, bad framing).</summary>
    public const string BadRequest = Prefix + "bad-request";

    /// <summary>Nothing lives at this path.</summary>
    public const string NotFound = Prefix + "not-found";

    /// <summary>The path exists, but not with this method; the Allow header lists the ones that do.</summary>
    public const string MethodNotAllowed = Prefix + "method-not-allowed";

    /// <summary>The caller's role in the account is lower than the operation needs; nothing was done.</summary>
    public const string RoleTooLow = Prefix + "role-too-low";

    /// <summary>The request body is larger than the operation accepts.</summary>
    public const string PayloadTooLarge = Prefix + "payload-too-large";

    /// <summary>The caller has made too many requests; Retry-After says when to try again.</summary>
    public const string TooManyRequests = Prefix + "too-many-requests";

    /// <summary>A browser preflight from an origin the function does not allow.</summary>
    public const string OriginNotAllowed = Prefix + "origin-not-allowed";
}
