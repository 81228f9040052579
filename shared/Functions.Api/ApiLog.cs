using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Api;

/// <summary>The log messages of what the product adds around a request, source-generated.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(3, LogLevel.Debug, "{Method} {Path} was aborted by the client.")]
    public static partial void ClientAborted(ILogger logger, string method, string? path);

    [LoggerMessage(4, LogLevel.Error, "{Method} {Path} failed with {Status} (request {RequestId}).")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string? path, int status, string requestId);

    [LoggerMessage(5, LogLevel.Information, "{Method} {Path} rejected with {Status}: {Detail}")]
    public static partial void RequestRejected(ILogger logger, string method, string? path, int status, string detail);

    [LoggerMessage(6, LogLevel.Warning, "Not ready: {Problems}")]
    public static partial void NotReady(ILogger logger, string problems);

    [LoggerMessage(7, LogLevel.Information, "Accepting tokens: {Modes}.")]
    public static partial void AcceptedTokens(ILogger logger, string modes);

    [LoggerMessage(8, LogLevel.Critical, "A local signing key is accepted on Cloud Run because {Variable}=true: anyone with the key file can act as any caller.")]
    public static partial void LocalKeyOnCloudRun(ILogger logger, string variable);

    [LoggerMessage(9, LogLevel.Information, "Browser origins allowed: {Origins}. Rate limit: {RateLimit}. Request bodies up to {BodyBytes} bytes unless an operation allows more.")]
    public static partial void Limits(ILogger logger, string origins, string rateLimit, long bodyBytes);
}
