using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// One bearer scheme per configured token kind, behind a selector that picks the scheme by the token's issuer.
/// Keys of Firebase and Google come from their published JWKS, cached and refreshed by the JWT handler.
/// </summary>
internal static class AuthenticationSetup
{
    public const string Scheme = "Bearer";
    private const string FirebaseScheme = "firebase";
    private const string GoogleScheme = "google";
    private const string LocalScheme = "local";

    // Small enough that a stolen, expired token is useless quickly; large enough for ordinary clock drift.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static void AddCallerAuthentication(this IServiceCollection services, AuthSettings settings)
    {
        var builder = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token", options => options.ForwardDefaultSelector = context => SchemeFor(context, settings));
        if (settings.Firebase is { } firebase)
        {
            builder.AddJwtBearer(FirebaseScheme, options => ConfigureRemote(options, firebase.MetadataAddress, [firebase.Issuer], [firebase.ProjectId]));
        }
        if (settings.Google is { } google)
        {
            builder.AddJwtBearer(GoogleScheme, options =>
            {
                ConfigureRemote(options, google.MetadataAddress, GoogleAuthMode.Issuers, google.Audiences);
                options.Events.OnTokenValidated = context => CheckGoogleAccount(context, google);
            });
        }
        if (settings.Local is { } local)
        {
            builder.AddJwtBearer(LocalScheme, options => ConfigureLocal(options, local));
        }
    }

    private static void ConfigureRemote(JwtBearerOptions options, string metadataAddress, IReadOnlyList<string> issuers, IReadOnlyList<string> audiences)
    {
        options.MetadataAddress = metadataAddress;
        // Google answers in milliseconds; a key server that does not should cost a request seconds, not the default minute.
        options.BackchannelTimeout = TimeSpan.FromSeconds(5);
        // Plain HTTP only for a loopback key server (tests); Google's endpoints are HTTPS.
        options.RequireHttpsMetadata = !IsLoopbackHttp(metadataAddress);
        Configure(options, issuers, audiences, [SecurityAlgorithms.RsaSha256]);
    }

    // A verified email on the allowlist: the audience says the token is for this function, not who may call it. A
    // service caller given an account in AUTH_GOOGLE_ACCOUNTS gets it as the claims a Firebase token would carry.
    private static Task CheckGoogleAccount(TokenValidatedContext context, GoogleAuthMode google)
    {
        var email = context.Principal?.FindFirst("email")?.Value;
        var verified = string.Equals(context.Principal?.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        if (google.AllowedEmails is { } allowed && (email is null || !verified || !allowed.Contains(email, StringComparer.OrdinalIgnoreCase)))
        {
            context.Fail(new InvalidCallerException("The token's account may not call this function (AUTH_GOOGLE_ALLOWED_EMAILS)."));
        }
        else if (verified && email is not null && google.ServiceAccounts.TryGetValue(email, out var membership))
        {
            context.Principal!.AddIdentity(new ClaimsIdentity([new Claim("account", membership.Account), new Claim("account_role", membership.Role)]));
        }
        return Task.CompletedTask;
    }

    private static void ConfigureLocal(JwtBearerOptions options, LocalAuthMode local)
    {
        Configure(options, [local.Issuer], [local.Audience], [local.Key.Algorithm]);
        options.TokenValidationParameters.IssuerSigningKey = local.Key.Key;
    }

    private static void Configure(JwtBearerOptions options, IReadOnlyList<string> issuers, IReadOnlyList<string> audiences, IReadOnlyList<string> algorithms)
    {
        // Keep claim names as they are in the token ("sub", "role"), not mapped to long WS-* URIs.
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudiences = audiences,
            ValidAlgorithms = algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = ClockSkew,
            NameClaimType = JwtRegisteredClaimNames.Sub,
        };
        options.Events = new JwtBearerEvents { OnChallenge = UnauthorizedProblem.WriteAsync };
    }

    private static string SchemeFor(HttpContext context, AuthSettings settings)
    {
        var fallback = settings.Firebase is not null ? FirebaseScheme : settings.Google is not null ? GoogleScheme : LocalScheme;
        var issuer = UnvalidatedIssuer(context.Request.Headers.Authorization.ToString());
        if (issuer is null)
        {
            return fallback;
        }
        if (settings.Firebase is { } firebase && issuer == firebase.Issuer)
        {
            return FirebaseScheme;
        }
        if (settings.Google is not null && GoogleAuthMode.Issuers.Contains(issuer))
        {
            return GoogleScheme;
        }
        return settings.Local is { } local && issuer == local.Issuer ? LocalScheme : fallback;
    }

    // Only to route the token to the scheme that will validate it; nothing here is trusted.
    private static string? UnvalidatedIssuer(string authorization)
    {
        const string prefix = "Bearer ";
        if (!authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return new JsonWebToken(authorization[prefix.Length..].Trim()).Issuer;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsLoopbackHttp(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}
