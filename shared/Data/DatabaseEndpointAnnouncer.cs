using InvoiceApi.Data.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Data;

/// <summary>
/// Logs once at start which path the process uses to reach the database and its pool size, so a wrong path is visible at
/// once, and warns when Cloud Run may send more requests at once than the pool has connections.
/// </summary>
public sealed partial class DatabaseEndpointAnnouncer(DatabaseEndpoint endpoint, DatabasePoolOptions options, ILogger<DatabaseEndpointAnnouncer> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Announce(logger, endpoint.ToString(), endpoint.Source, options.MaxPoolSize);
        if (options.RequestConcurrency is { } concurrency && concurrency > options.MaxPoolSize)
        {
            ConcurrencyOverPool(logger, concurrency, options.MaxPoolSize, concurrency - options.MaxPoolSize, (int)options.OpenTimeout.TotalSeconds);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(100, LogLevel.Information, "Database: {Endpoint} (from {Source}), pool of at most {MaxPoolSize} connections.")]
    private static partial void Announce(ILogger logger, string endpoint, string source, int maxPoolSize);

    [LoggerMessage(101, LogLevel.Warning,
        "Cloud Run may send {Concurrency} requests at once (CLOUD_RUN_CONCURRENCY) but the pool holds {MaxPoolSize} connections (DB_POOL_MAX): " +
        "up to {Waiting} requests wait for a connection, at most {OpenTimeoutSeconds} s, then get 503. Raise DB_POOL_MAX within the capacity rule " +
        "(docs/operations.md, Capacity) or lower --concurrency.")]
    private static partial void ConcurrencyOverPool(ILogger logger, int concurrency, int maxPoolSize, int waiting, int openTimeoutSeconds);
}
