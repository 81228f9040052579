using InvoiceApi.Data.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Data;

/// <summary>Logs once at start which path the process uses to reach the database, so a wrong path is visible at once.</summary>
internal sealed partial class DatabaseEndpointAnnouncer(DatabaseEndpoint endpoint, DatabasePoolOptions options, ILogger<DatabaseEndpointAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Announce(logger, endpoint.ToString(), endpoint.Source, options.MaxPoolSize);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(100, LogLevel.Information, "Database: {Endpoint} (from {Source}), pool of at most {MaxPoolSize} connections.")]
    private static partial void Announce(ILogger logger, string endpoint, string source, int maxPoolSize);
}
