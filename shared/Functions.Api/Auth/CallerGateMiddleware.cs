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
        var subject = result.Principal.FindFirstValue("sub");
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > MaxUserIdLength)
        {
            await UnauthorizedProblem.WriteAsync(context, new InvalidCallerException($"The token's subject (sub) must be 1 to {MaxUserIdLength} characters."));
            return;
        }
        context.User = result.Principal;
        context.Features.Set(new Caller(subject, IsAdmin(result.Principal)));
        await next(context);
    }

    // Firebase custom claims (set with the Admin SDK) arrive as top-level claims: {"role": "admin"} or {"roles": ["admin"]}.
    private static bool IsAdmin(ClaimsPrincipal principal) =>
        principal.FindAll("role").Concat(principal.FindAll("roles")).Any(claim => claim.Value == "admin");
}
