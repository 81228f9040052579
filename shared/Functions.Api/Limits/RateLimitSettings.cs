using System.Globalization;

namespace InvoiceApi.Functions.Api.Limits;

/// <summary>
/// <c>RATE_LIMIT_PER_MINUTE</c>: requests one caller may make per minute on one instance (0, the default, turns it off).
/// Cloud Run runs several instances, so a caller spread over N instances gets up to N times this.
/// </summary>
internal sealed record RateLimitSettings(int PerMinute)
{
    public const string Variable = "RATE_LIMIT_PER_MINUTE";

    // Above 1,000 a second the limit protects nothing and the refill period would shrink below the limiter's resolution.
    private const int Largest = 60_000;

    public bool Enabled => PerMinute > 0;

    public static RateLimitSettings Read(Func<string, string?> variable)
    {
        var value = variable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return new RateLimitSettings(0);
        }
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) || perMinute > Largest)
        {
            throw new FunctionConfigurationException($"{Variable} must be a whole number of requests per minute from 0 (off) to {Largest:N0}, got '{value}'.");
        }
        return new RateLimitSettings(perMinute);
    }

    public string Describe() => Enabled ? $"{PerMinute} requests per minute per caller and instance" : "off";
}
