using System.Net;
using System.Text.Json;

namespace InvoiceApi.Data.Connection;

/// <summary>
/// Access tokens for Cloud SQL IAM database login, from the metadata server Cloud Run (like every Google Cloud runtime)
/// serves to its workloads: the token of the service's own service account, for the <c>sqlservice.login</c> scope.
/// The token is the login's password; it is never logged, and no error message holds it.
/// </summary>
public sealed class MetadataAccessTokens
{
    /// <summary>The scope Cloud SQL asks of a token used as a database password.</summary>
    public const string Scope = "https://www.googleapis.com/auth/sqlservice.login";

    /// <summary>The metadata server's name on Google Cloud; <c>GCE_METADATA_HOST</c> overrides it, as in Google's client libraries.</summary>
    public const string DefaultHost = "metadata.google.internal";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    // One client for the process, whatever the number of data sources (primary, replica): nothing to dispose.
    // No proxy: the metadata server is link-local, and a proxy must never see the request for a password.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = RequestTimeout };
    private readonly Uri _tokenAddress;

    /// <summary>Reads tokens from <paramref name="host"/> (host or host:port), or <see cref="DefaultHost"/> when null.</summary>
    public MetadataAccessTokens(string? host)
    {
        Host = string.IsNullOrWhiteSpace(host) ? DefaultHost : host.Trim();
        if (Host.IndexOfAny(['/', '@', '?', '#', ' ']) >= 0
            || !Uri.TryCreate($"http://{Host}/computeMetadata/v1/instance/service-accounts/default/token?scopes={Uri.EscapeDataString(Scope)}",
                UriKind.Absolute, out var address))
        {
            throw new DatabaseConfigurationException($"GCE_METADATA_HOST must be a host name or host:port, got '{host}'.");
        }
        _tokenAddress = address;
    }

    /// <summary>The metadata server's address, for messages.</summary>
    public string Host { get; }

    /// <summary>A current access token, as the metadata server hands it out (it renews tokens well before they expire).</summary>
    /// <exception cref="IamLoginException">The metadata server did not answer, refused, or answered without a token.</exception>
    public async ValueTask<string> FetchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _tokenAddress);
        // The metadata server answers only requests that carry this header (a guard against forwarded requests).
        request.Headers.Add("Metadata-Flavor", "Google");
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new IamLoginException(
                $"DB_IAM_AUTH=true logs in with an access token from the metadata server at {Host}, which did not answer "
                + $"({(exception is TaskCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : exception.Message)}). "
                + "Off Google Cloud there is no metadata server: log in with a password instead (unset DB_IAM_AUTH, set DB_PASS), "
                + "or point GCE_METADATA_HOST at one.", exception);
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new IamLoginException(
                    $"The metadata server at {Host} refused an access token for Cloud SQL login ({(int)response.StatusCode} {response.ReasonPhrase}). "
                    + "On Cloud Run, check the service's service account (--service-account) exists and is not disabled.");
            }
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return ReadToken(body) ?? throw new IamLoginException(
                $"The metadata server at {Host} answered without an access token (no access_token in its JSON).");
        }
    }

    private static string? ReadToken(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("access_token", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>An IAM database login could not get its token; the message says what to do.</summary>
public sealed class IamLoginException(string message, Exception? inner = null) : Exception(message, inner);
