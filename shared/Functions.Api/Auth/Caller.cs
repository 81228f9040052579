namespace InvoiceApi.Functions.Api.Auth;

/// <summary>The authenticated caller of a request: the token's subject, and whether it may read across callers.</summary>
/// <param name="UserId">The token's <c>sub</c>: every invoice belongs to exactly one of these.</param>
/// <param name="IsAdmin">The token carries the <c>admin</c> role: it may read (never write) other callers' data when it asks explicitly.</param>
public sealed record Caller(string UserId, bool IsAdmin);
