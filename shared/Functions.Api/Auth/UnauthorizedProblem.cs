using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>Answers a request without a valid token: 401 problem+json with <c>WWW-Authenticate: Bearer</c>, never echoing the token.</summary>
internal static class UnauthorizedProblem
{
    public const string Type = ProblemTypes.Prefix + "unauthorized";

    public static Task WriteAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        return WriteAsync(context.HttpContext, context.AuthenticateFailure);
    }

    public static Task WriteAsync(HttpContext context, Exception? failure)
    {
        if (IsKeyServerUnreachable(failure))
        {
            // Not the caller's fault: nothing says the token is bad, so no 401 that would make a client drop it.
            return ProblemWriter.WriteAsync(context, new Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.ServiceUnavailable,
                "Service unavailable", "The token cannot be checked right now: the key server does not answer. Retry shortly.")
            {
                RetryAfter = KeyServerRetry,
            });
        }
        var tokenGiven = context.Request.Headers.Authorization.Count > 0;
        context.Response.Headers.WWWAuthenticate = tokenGiven ? "Bearer realm=\"invoice-api\", error=\"invalid_token\"" : "Bearer realm=\"invoice-api\"";
        return ProblemWriter.WriteAsync(context, new Problem(StatusCodes.Status401Unauthorized, Type, "Unauthorized", Detail(tokenGiven, failure)));
    }

    private static readonly TimeSpan KeyServerRetry = TimeSpan.FromSeconds(5);

    // The signing keys could not be fetched: IdentityModel validates without any ("IDX10500: ... No security keys were
    // provided") or, in older paths, fails to get the configuration ("IDX20803: Unable to obtain configuration").
    // A token with an unknown key id while keys are there is IDX10503, a bad token: still a 401.
    private static bool IsKeyServerUnreachable(Exception? failure) => failure switch
    {
        SecurityTokenSignatureKeyNotFoundException => failure.Message.StartsWith("IDX10500", StringComparison.Ordinal),
        InvalidOperationException => failure.Message.StartsWith("IDX20803", StringComparison.Ordinal),
        _ => false,
    };

    private static string Detail(bool tokenGiven, Exception? failure) => failure switch
    {
        null when !tokenGiven => "This function needs an ID token: send 'Authorization: Bearer <token>'.",
        null => "The Authorization header must be 'Bearer <token>'.",
        SecurityTokenExpiredException => "The token has expired; get a new one.",
        SecurityTokenNotYetValidException => "The token is not valid yet; check the clock of whatever issued it.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature does not verify.",
        SecurityTokenInvalidIssuerException => "The token comes from an issuer this function does not accept.",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        InvalidCallerException invalid => invalid.Message,
        _ => "The token is not valid.",
    };
}
