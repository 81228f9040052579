using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Scoping;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InvoiceApi.Data;

/// <summary>
/// A <see cref="ReadOnlyQuery"/> that reads from a read replica when one is configured and falls back to the primary,
/// with a warning, when the replica cannot be reached. After a failure the primary serves reads for
/// <see cref="RetryReplicaAfter"/> before the replica is tried again, so an outage does not cost every request a timeout.
/// </summary>
/// <remarks>
/// Only a failure to open a replica connection falls back: the query has not run yet, so running it on the primary
/// is the same read. A replica lags its primary by moments: use this for figures, never to read back one's own write.
/// </remarks>
public sealed partial class ReplicaReadOnlyQuery : IDisposable
{
    /// <summary>How long reads stay on the primary after the replica failed.</summary>
    public static readonly TimeSpan RetryReplicaAfter = TimeSpan.FromSeconds(30);

    private readonly ReadOnlyQuery _primary;
    private readonly ReadOnlyQuery? _replica;
    private readonly NpgsqlDataSource? _replicaDataSource;
    private readonly DatabaseEndpoint? _replicaEndpoint;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicaReadOnlyQuery> _logger;
    private long _replicaDownUntilTicks;

    /// <summary>Creates the reader; with a null <paramref name="replicaEndpoint"/> every read goes to the primary.</summary>
    public ReplicaReadOnlyQuery(ReadOnlyQuery primary, DatabaseEndpoint? replicaEndpoint, DatabasePoolOptions options, TimeProvider time,
        ILogger<ReplicaReadOnlyQuery> logger, Func<DatabaseEndpoint, DatabasePoolOptions, NpgsqlDataSource>? createDataSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _primary = primary;
        _time = time;
        _logger = logger;
        _replicaEndpoint = replicaEndpoint;
        if (replicaEndpoint is not null)
        {
            // A short open budget: an unreachable replica should cost little before the primary answers instead.
            var replicaOptions = options with { OpenTimeout = TimeSpan.FromSeconds(Math.Min(2, options.OpenTimeout.TotalSeconds)) };
            _replicaDataSource = createDataSource is null ? DataSourceFactory.Create(replicaEndpoint, replicaOptions) : createDataSource(replicaEndpoint, replicaOptions);
            _replica = new ReadOnlyQuery(new DatabaseConnector(_replicaDataSource, replicaEndpoint, replicaOptions));
            LogReplica(logger, replicaEndpoint.ToString(), replicaEndpoint.Source);
        }
    }

    /// <summary>Reads on the replica alone, without the fall back; null without one.</summary>
    public ReadOnlyQuery? Replica => _replica;

    /// <summary>Runs <paramref name="query"/> like <see cref="ReadOnlyQuery.RunAsync{T}(DataScope, Func{NpgsqlConnection, CancellationToken, Task{T}}, CancellationToken)"/>, on the replica when it is up.</summary>
    public async Task<T> RunAsync<T>(DataScope scope, Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        if (_replica is null || _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _replicaDownUntilTicks))
        {
            return await _primary.RunAsync(scope, query, cancellationToken);
        }
        try
        {
            return await _replica.RunAsync(scope, query, cancellationToken);
        }
        catch (DatabaseUnavailableException failure) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _replicaDownUntilTicks, (_time.GetUtcNow() + RetryReplicaAfter).UtcTicks);
            LogFallback(_logger, _replicaEndpoint!.ToString(), failure.Message, (int)RetryReplicaAfter.TotalSeconds);
            return await _primary.RunAsync(scope, query, cancellationToken);
        }
    }

    /// <summary>Closes the replica's pool.</summary>
    public void Dispose() => _replicaDataSource?.Dispose();

    [LoggerMessage(110, LogLevel.Information, "Read replica: {Endpoint} (from {Source}); reads fall back to the primary when it is unreachable.")]
    private static partial void LogReplica(ILogger logger, string endpoint, string source);

    [LoggerMessage(111, LogLevel.Warning, "Read replica {Endpoint} is unreachable, reading from the primary for the next {Seconds} s: {Reason}")]
    private static partial void LogFallback(ILogger logger, string endpoint, string reason, int seconds);
}
