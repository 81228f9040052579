using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace InvoiceApi.Functions.Hosting.Auth;

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
        var tokenGiven = context.Request.Headers.Authorization.Count > 0;
        context.Response.Headers.WWWAuthenticate = tokenGiven ? "Bearer realm=\"invoice-api\", error=\"invalid_token\"" : "Bearer realm=\"invoice-api\"";
        return ProblemWriter.WriteAsync(context, new Problem(StatusCodes.Status401Unauthorized, Type, "Unauthorized", Detail(tokenGiven, failure)));
    }

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
