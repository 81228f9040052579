using InvoiceApi.Functions.Api.Auth;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Whom a local token speaks for: the claims the functions read to know the account, the role and the member.</summary>
/// <param name="Id">The member (the token's sub): who recorded or changed an invoice.</param>
/// <param name="Email">Sent as a verified email, so <c>created_by_email</c> and the history name the member; null for none.</param>
/// <param name="AccountId">The <c>account</c> claim; null for the member's personal account (its own id).</param>
/// <param name="Role">
/// The <c>account_role</c> claim; null sends none, and the functions take the owner of a personal account and a viewer of
/// a named one.
/// </param>
internal sealed record LocalMember(string Id, string? Email, string? AccountId, AccountRole? Role)
{
    /// <summary>The claims besides sub, iss, aud and the times: what the functions build their caller from.</summary>
    internal Dictionary<string, object> Claims(bool admin)
    {
        var claims = new Dictionary<string, object>();
        if (admin)
        {
            claims["role"] = "admin";
        }
        if (AccountId is not null)
        {
            claims["account"] = AccountId;
        }
        if (Role is { } role)
        {
            claims["account_role"] = role.Name();
        }
        if (Email is not null)
        {
            // Only a verified email names the member (the identity provider's word, here the emulator's).
            claims["email"] = Email;
            claims["email_verified"] = true;
        }
        return claims;
    }
}
