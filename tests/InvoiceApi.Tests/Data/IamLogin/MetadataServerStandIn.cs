using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Tests.Data.IamLogin;

/// <summary>
/// A local stand-in for Google Cloud's metadata server, speaking its token protocol: GET
/// /computeMetadata/v1/instance/service-accounts/default/token?scopes=..., answered only with the
/// <c>Metadata-Flavor: Google</c> header (403 otherwise, as the real one does), as JSON with <c>access_token</c>,
/// <c>expires_in</c> and <c>token_type</c>. The token it hands out can be changed, to rotate it.
/// </summary>
public sealed class MetadataServerStandIn : IAsyncDisposable
{
    private const string TokenPath = "/computeMetadata/v1/instance/service-accounts/default/token";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private volatile string _token;

    private MetadataServerStandIn(WebApplication app, string token)
    {
        _app = app;
        _token = token;
    }

    /// <summary>host:port, as GCE_METADATA_HOST takes it.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The token handed out from now on.</summary>
    public string Token { get => _token; set => _token = value; }

    /// <summary>Seconds until expiry the answer states.</summary>
    public int ExpiresIn { get; set; } = 3599;

    /// <summary>When set, every token request gets this status instead (the real server's refusals).</summary>
    public int? FailWith { get; set; }

    /// <summary>Every token request received, in order.</summary>
    public IReadOnlyList<ServedRequest> Requests => _requests.ToArray();

    public static async Task<MetadataServerStandIn> StartAsync(string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new MetadataServerStandIn(app, token);
        app.MapGet(TokenPath, standIn.Answer);
        await app.StartAsync(TestContext.Current.CancellationToken);
        standIn.Host = new Uri(app.Urls.Single()).Authority;
        return standIn;
    }

    private IResult Answer(HttpContext context)
    {
        var flavor = context.Request.Headers["Metadata-Flavor"].ToString();
        var scopes = context.Request.Query["scopes"].ToString();
        var token = _token;
        _requests.Enqueue(new ServedRequest(DateTimeOffset.UtcNow, flavor, scopes, token));
        if (flavor != "Google")
        {
            return Results.Text("Missing Metadata-Flavor:Google header.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (FailWith is { } status)
        {
            return Results.Text("refused", statusCode: status);
        }
        return Results.Text($$"""{"access_token":"{{token}}","expires_in":{{ExpiresIn}},"token_type":"Bearer"}""", "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>One token request: when, its Metadata-Flavor header, its scopes and the token handed out.</summary>
    public sealed record ServedRequest(DateTimeOffset At, string Flavor, string Scopes, string Token);
}
