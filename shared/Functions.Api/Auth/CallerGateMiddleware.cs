using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// Lets a request reach the function only with a valid token, and attaches its <see cref="Caller"/>: the account it acts
/// for, the member's role there, and who the member is (docs/accounts.md). Health endpoints are answered before this;
/// the OpenAPI document stays open.
/// </summary>
internal sealed class CallerGateMiddleware(RequestDelegate next, AcceptedTokens acceptedTokens)
{
    private const int MaxIdLength = AccountRoles.MaxIdLength;
    private const int MaxEmailLength = 320;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/openapi.json"))
        {
            await next(context);
            return;
        }
        var token = context.Request.Headers.Authorization.ToString();
        if (!acceptedTokens.TryGet(token, out var principal, out var caller))
        {
            var result = await context.AuthenticateAsync();
            if (!result.Succeeded)
            {
                await context.ChallengeAsync();
                return;
            }
            principal = result.Principal;
            var refusal = Refusal(principal);
            caller = refusal is null ? CallerOf(principal, out refusal) : null;
            if (caller is null)
            {
                await UnauthorizedProblem.WriteAsync(context, new InvalidCallerException(refusal!));
                return;
            }
            acceptedTokens.Add(token, principal, caller);
        }
        context.User = principal;
        context.Features.Set(caller);
        await next(context);
    }

    // The account: the `account` custom claim (Admin SDK), else the Identity Platform tenant, else the member's own
    // personal account. The role: the `account_role` claim, else AccountRoles.Default. Null, with why the token cannot be used.
    private static Caller? CallerOf(ClaimsPrincipal principal, out string? refusal)
    {
        var member = principal.FindFirstValue("sub")!;
        var account = principal.FindFirstValue("account") ?? Tenant(principal);
        var roleClaim = principal.FindFirstValue("account_role");
        var role = roleClaim is null ? AccountRoles.Default(namedAccount: account is not null) : AccountRoles.Parse(roleClaim);
        refusal = account is not null && (string.IsNullOrWhiteSpace(account) || account.Length > MaxIdLength || !IsStorable(account))
            ? $"The token's account must be 1 to {MaxIdLength} characters the database can store."
            : role is null ? $"The token's account_role must be one of {string.Join(", ", AccountRoles.Names)}; it is something else."
            : null;
        return refusal is null ? new Caller(account ?? member, role!.Value, member, VerifiedEmail(principal), IsAdmin(principal)) : null;
    }

    // Identity Platform puts the tenant inside the `firebase` claim: {"firebase": {"tenant": "...", ...}}.
    private static string? Tenant(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue("firebase") is not { } firebase)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(firebase);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("tenant", out var tenant) && tenant.ValueKind == JsonValueKind.String
                ? tenant.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Only an email the identity provider says it verified names the member; anyone can type an unverified one.
    private static string? VerifiedEmail(ClaimsPrincipal principal)
    {
        var email = principal.FindFirstValue("email");
        var verified = string.Equals(principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
        return verified && email is { Length: > 0 and <= MaxEmailLength } && IsStorable(email) ? email : null;
    }

    // What makes a validly signed token unusable here, if anything.
    private static string? Refusal(ClaimsPrincipal principal)
    {
        // RFC 7519: exp, nbf and iat are NumericDates, JSON numbers; IdentityModel would also read a string of digits.
        foreach (var name in NumericDates)
        {
            if (principal.FindFirst(name) is { } claim && !IsNumber(claim))
            {
                return $"The token's '{name}' must be a JSON number (seconds since 1970), not a {claim.ValueType.Split('#')[^1]}.";
            }
        }
        var subject = principal.FindFirstValue("sub");
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > MaxIdLength)
        {
            return $"The token's subject (sub) must be 1 to {MaxIdLength} characters.";
        }
        // The subject names the member in PostgreSQL rows, whose text holds no NUL and only well-formed Unicode.
        return IsStorable(subject) ? null : "The token's subject (sub) holds a character the database cannot store (U+0000 or a lone surrogate).";
    }

    private static readonly string[] NumericDates = ["exp", "nbf", "iat"];

    private static bool IsNumber(Claim claim) => claim.ValueType is ClaimValueTypes.Integer or ClaimValueTypes.Integer32
        or ClaimValueTypes.Integer64 or ClaimValueTypes.UInteger32 or ClaimValueTypes.UInteger64 or ClaimValueTypes.Double;

    private static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var paired = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (text[i] == '\0' || (char.IsSurrogate(text[i]) && !paired))
            {
                return false;
            }
            i += paired ? 1 : 0;
        }
        return true;
    }

    // Firebase custom claims (set with the Admin SDK) arrive as top-level claims: {"role": "admin"} or {"roles": ["admin"]}.
    private static bool IsAdmin(ClaimsPrincipal principal) =>
        principal.FindAll("role").Concat(principal.FindAll("roles")).Any(claim => claim.Value == "admin");
}
