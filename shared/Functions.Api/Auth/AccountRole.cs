namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// A member's role in the account a request acts for (docs/accounts.md), from the token's <c>account_role</c> claim.
/// Each role may do everything the one before it may.
/// </summary>
public enum AccountRole
{
    /// <summary>Read, list, export, history and Stats.</summary>
    Viewer = 1,

    /// <summary>Also create, replace, patch, archive, restore and import.</summary>
    Editor = 2,

    /// <summary>Everything an editor does; the role that manages the account's settings.</summary>
    Owner = 3,
}

/// <summary>The claim's spelling of each <see cref="AccountRole"/>, which is also what row-level security reads.</summary>
public static class AccountRoles
{
    /// <summary>The longest account or member id (a token's <c>account</c> or <c>sub</c>) the database keys rows by.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Every role's name, lowest first.</summary>
    public static readonly IReadOnlyList<string> Names = ["viewer", "editor", "owner"];

    /// <summary>The role's name as tokens, settings and problems spell it.</summary>
    public static string Name(this AccountRole role) => Names[(int)role - 1];

    /// <summary>
    /// The role of a token without an <c>account_role</c> claim: owner of the caller's own personal account, viewer of an
    /// account the token names (a token that names an account but no role gets the least).
    /// </summary>
    public static AccountRole Default(bool namedAccount) => namedAccount ? AccountRole.Viewer : AccountRole.Owner;

    /// <summary>Reads a role name exactly as spelled in <see cref="Names"/>; null for anything else.</summary>
    public static AccountRole? Parse(string? name) => name switch
    {
        "viewer" => AccountRole.Viewer,
        "editor" => AccountRole.Editor,
        "owner" => AccountRole.Owner,
        _ => null,
    };
}
