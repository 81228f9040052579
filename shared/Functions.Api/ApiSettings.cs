using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Browser;
using InvoiceApi.Functions.Api.Limits;

namespace InvoiceApi.Functions.Api;

/// <summary>What <see cref="ApiStartup"/> reads from the configuration: tokens, browser origins and the rate limit.</summary>
internal sealed record ApiSettings(bool OnCloudRun, AuthSettings Auth, CorsSettings Cors, RateLimitSettings RateLimit)
{
    public static ApiSettings Read(Func<string, string?> variable)
    {
        // Cloud Run sets K_SERVICE on every service.
        var onCloudRun = !string.IsNullOrWhiteSpace(variable("K_SERVICE"));
        return new ApiSettings(onCloudRun, AuthSettings.Read(variable, onCloudRun), CorsSettings.Read(variable), RateLimitSettings.Read(variable));
    }
}
