using InvoiceApi.Data.Scoping;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// The authenticated caller of a request: the account it acts for, its role there, and the member it is.
/// </summary>
/// <param name="AccountId">
/// Whose books: the token's <c>account</c> claim, else its Identity Platform tenant (<c>firebase.tenant</c>), else the
/// caller's personal account, its own <c>sub</c>. Every invoice belongs to exactly one account.
/// </param>
/// <param name="Role">What the member may do in the account (<see cref="AccountRole"/>).</param>
/// <param name="MemberId">The token's <c>sub</c>: who did it, in <c>created_by</c>, <c>updated_by</c> and the history.</param>
/// <param name="MemberEmail">The token's email when the token says it is verified, else null.</param>
/// <param name="IsAdmin">The token carries the platform's <c>admin</c> role: it may read (never write) other accounts' data when it asks explicitly.</param>
public sealed record Caller(string AccountId, AccountRole Role, string MemberId, string? MemberEmail, bool IsAdmin)
{
    /// <summary>The scope a write of this caller runs in: its account, its role, and the operation the history records.</summary>
    public WriteScope Writes(string operation) => new(AccountId, Role.Name(), operation);
}
