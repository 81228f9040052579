using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// Stands in for Google's key endpoints on 127.0.0.1: an OpenID discovery document and a JWKS with one RSA key,
/// so Firebase and Google token validation is tested with real key retrieval and no internet.
/// </summary>
public sealed class LoopbackKeyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _keyId = "loopback-key-1";

    private LoopbackKeyServer(WebApplication app) => _app = app;

    public string MetadataAddress => $"{_app.Urls.Single()}/.well-known/openid-configuration";

    public int MetadataRequests { get; private set; }

    public static async Task<LoopbackKeyServer> StartAsync(string issuer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackKeyServer(app);
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            server.MetadataRequests++;
            return Results.Json(new Dictionary<string, object> { ["issuer"] = issuer, ["jwks_uri"] = $"{app.Urls.Single()}/jwks" });
        });
        app.MapGet("/jwks", () => Results.Text(server.Jwks(), "application/json"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    /// <summary>A token signed with the served key.</summary>
    public string Token(string issuer, string audience, string subject = "firebase-user-1", IReadOnlyDictionary<string, object>? claims = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["sub"] = subject },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = _keyId }, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    private string Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{_keyId}}","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}]}""";
    }
}
