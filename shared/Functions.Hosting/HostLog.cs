using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Hosting;

/// <summary>The host's log messages, source-generated (no boxing, no parsing of templates per call).</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Information, "Serving function {Function} on {Addresses}.")]
    public static partial void Serving(ILogger logger, string? function, string addresses);

    [LoggerMessage(2, LogLevel.Warning, "GOOGLE_CLOUD_PROJECT is not set: log lines carry no trace field, so Cloud Logging cannot group them by request.")]
    public static partial void NoProjectForTraces(ILogger logger);
}
