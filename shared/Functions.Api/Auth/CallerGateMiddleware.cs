using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// Lets a request reach the function only with a valid token, and attaches its <see cref="Caller"/>.
/// Health endpoints are answered before this; the OpenAPI document stays open.
/// </summary>
internal sealed class CallerGateMiddleware(RequestDelegate next)
{
    private const int MaxUserIdLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/openapi.json"))
        {
            await next(context);
            return;
        }
        var result = await context.AuthenticateAsync();
        if (!result.Succeeded)
        {
            await context.ChallengeAsync();
            return;
        }
        if (Refusal(result.Principal) is { } refusal)
        {
            await UnauthorizedProblem.WriteAsync(context, new InvalidCallerException(refusal));
            return;
        }
        var subject = result.Principal.FindFirstValue("sub")!;
        context.User = result.Principal;
        context.Features.Set(new Caller(subject, IsAdmin(result.Principal)));
        await next(context);
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
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > MaxUserIdLength)
        {
            return $"The token's subject (sub) must be 1 to {MaxUserIdLength} characters.";
        }
        // The subject keys the caller's rows in PostgreSQL, whose text holds no NUL and only well-formed Unicode.
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
