using System.Data;
using System.Net.Sockets;
using Npgsql;

namespace InvoiceApi.Data.Connection;

/// <summary>
/// Opens pooled connections. Transient failures (database restarting, connections cut) are retried with jittered
/// backoff, bounded in total by <see cref="DatabasePoolOptions.OpenTimeout"/>; every failure comes out as a
/// <see cref="DatabaseUnavailableException"/> that names what was tried and what to do.
/// </summary>
public sealed class DatabaseConnector
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMilliseconds(800);
    private readonly NpgsqlDataSource _dataSource;
    private readonly DatabaseEndpoint _endpoint;
    private readonly TimeSpan _openTimeout;

    /// <summary>Creates a connector over the process's data source.</summary>
    public DatabaseConnector(NpgsqlDataSource dataSource, DatabaseEndpoint endpoint, DatabasePoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _endpoint = endpoint;
        _openTimeout = options.OpenTimeout;
    }

    /// <summary>Where this connector connects, for logs (never the password).</summary>
    public DatabaseEndpoint Endpoint => _endpoint;

    /// <summary>Opens a connection; dispose it (<c>await using</c>) to return it to the pool.</summary>
    /// <exception cref="DatabaseUnavailableException">No connection within the open timeout, or a login/deploy mistake.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        (await ConnectAsync<bool>(start: null, cancellationToken)).Connection;

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled connection and returns the connection to the pool. A pooled connection
    /// found dead by it (the server restarted, or ended the session) is dropped and the read run again on a fresh one,
    /// within the same open timeout, so <paramref name="read"/> must have no effect but its reads.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">No working connection within the open timeout, or a login/deploy mistake.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var (connection, result) = await ConnectAsync(read, cancellationToken);
        await connection.DisposeAsync();
        return result;
    }

    /// <summary>
    /// Opens a connection and begins a transaction whose first statements are <paramref name="start"/> (they carry the
    /// BEGIN). A pooled connection found dead by them (the server restarted, or ended the session) has run nothing, so
    /// it is dropped and the start retried on a fresh connection, within the same open timeout.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">No working connection within the open timeout, or a login/deploy mistake.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DatabaseTransaction> BeginAsync(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var (connection, transaction) = await ConnectAsync(async (opened, token) =>
        {
            var transaction = await opened.BeginTransactionAsync(token);
            await start(opened, transaction, token);
            return transaction;
        }, cancellationToken);
        return new DatabaseTransaction(connection, transaction);
    }

    /// <summary>True when <paramref name="exception"/> came from <paramref name="connection"/> dying, not from the statement.</summary>
    public static bool IsConnectionLoss(NpgsqlConnection connection, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // A cancelled command may break its connection too; that is the client leaving, not the database.
        return exception is not OperationCanceledException && connection.FullState.HasFlag(ConnectionState.Broken);
    }

    private async Task<(NpgsqlConnection Connection, T Started)> ConnectAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>>? start,
        CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_openTimeout);
        var backoff = FirstBackoff;
        Exception? previous = null;
        for (var attempt = 1; ; attempt++)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await _dataSource.OpenConnectionAsync(budget.Token);
                // Not the budget's token: a slow statement on a healthy connection is not an open failure.
                var started = start is null ? default! : await start(connection, cancellationToken);
                return (connection, started);
            }
            catch (Exception exception)
            {
                var lost = connection is not null && IsConnectionLoss(connection, exception);
                if (connection is not null)
                {
                    // Whatever happened, a connection not handed out goes back to the pool (or away, when broken).
                    await connection.DisposeAsync();
                }
                if (lost)
                {
                    // Its idle neighbours died with it (a restart or failover ends them all): the retry must not draw another.
                    _dataSource.Clear();
                }
                if (cancellationToken.IsCancellationRequested || (connection is not null && !lost))
                {
                    // The caller gave up, or the statement itself failed on a working connection: not ours to retry.
                    throw;
                }
                // When the budget runs out mid-attempt, the previous attempt's error says more than "cancelled".
                var cause = exception is OperationCanceledException && previous is not null ? previous : exception;
                previous = cause;
                var failure = Classify(cause, attempt);
                // A pooled connection that broke under the start is retried whatever broke it: the start only reads (or
                // begins), and what broke it may be the connection's own state rather than the database. Npgsql breaks a
                // connection it finds out of step with the server ("Received unexpected backend message DataRow", seen
                // once in CI on a pooled connection after abandoned requests, npgsql/npgsql#5803); a fresh one answers.
                if ((!failure.IsTransient && !lost) || budget.IsCancellationRequested)
                {
                    throw failure;
                }
                try
                {
                    await Task.Delay(Jitter(backoff), budget.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw failure;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }

    /// <summary>Turns an open failure into the error an operator can act on.</summary>
    public DatabaseUnavailableException Classify(Exception exception, int attempts = 1)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (_endpoint.IsUnixSocket && !Directory.Exists(_endpoint.Host))
        {
            return new DatabaseUnavailableException(MissingSocketMessage(), isTransient: false, exception);
        }
        // Npgsql wraps what its periodic password provider threw (the token fetch) in its own exception.
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is IamLoginException tokenFailure)
            {
                return new DatabaseUnavailableException(tokenFailure.Message, isTransient: false, exception);
            }
        }
        if (_endpoint.IamLogin && exception is PostgresException { SqlState: "28P01" or "28000" } tokenRefused)
        {
            return new DatabaseUnavailableException(IamLoginRefusedMessage(tokenRefused.MessageText), isTransient: false, exception);
        }
        if (exception is PostgresException { SqlState: "28P01" or "28000" or "3D000" } refused)
        {
            return new DatabaseUnavailableException(
                $"Login to {_endpoint} was refused: {refused.MessageText}. Check DB_USER, DB_PASS and DB_NAME "
                + "(or the user, password and database in DATABASE_URL).",
                isTransient: false, exception);
        }
        var cause = exception is OperationCanceledException ? $"no connection within {_openTimeout.TotalSeconds:0} s" : Describe(exception);
        return new DatabaseUnavailableException(
            $"Could not connect to {_endpoint} after {attempts} attempt(s): {cause}. "
            + "Check that the database is running and reachable from this service.",
            isTransient: IsTransient(exception), exception);
    }

    // Cloud SQL names an IAM service-account user by its email without ".gserviceaccount.com"; the instance is the last
    // part of project:region:instance, which is the socket directory's name on Cloud Run.
    private string IamLoginRefusedMessage(string serverMessage)
    {
        var email = _endpoint.User + ".gserviceaccount.com";
        var connectionName = _endpoint.IsUnixSocket ? Path.GetFileName(_endpoint.Host) : "PROJECT:REGION:INSTANCE";
        var parts = connectionName.Split(':');
        var (project, instance) = parts.Length >= 3 ? (parts[0], parts[^1]) : ("PROJECT", "INSTANCE");
        return $"Cloud SQL refused the IAM login of '{_endpoint.User}' ({serverMessage}). The token came from the metadata server, so one of "
            + "these is missing: IAM login on the instance (gcloud sql instances patch " + instance + " --database-flags=cloudsql.iam_authentication=on, "
            + "which replaces the instance's other flags: list them too), the IAM database user (gcloud sql users create " + email + " --instance=" + instance
            + " --type=cloud_iam_service_account), or the service account's role (gcloud projects add-iam-policy-binding " + project
            + " --member=serviceAccount:" + email + " --role=roles/cloudsql.instanceUser). DB_USER must be the service account's email without "
            + ".gserviceaccount.com. See docs/deploy.md.";
    }

    private string MissingSocketMessage()
    {
        var instance = Path.GetFileName(_endpoint.Host);
        return $"The Cloud SQL socket directory {_endpoint.Host} does not exist. On Cloud Run, deploy the service with "
            + $"--add-cloudsql-instances {instance} and give its service account roles/cloudsql.client; "
            + "locally, start the private PostgreSQL first (dotnet run --project tools/Emulator, see README) or set INSTANCE_HOST to use TCP.";
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException or SocketException or IOException or OperationCanceledException => true,
        _ => false,
    };

    private static string Describe(Exception exception) => exception switch
    {
        PostgresException postgres => $"{postgres.SqlState} {postgres.MessageText}",
        NpgsqlException { InnerException: { } inner } => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    };

    private static TimeSpan Jitter(TimeSpan backoff) =>
        TimeSpan.FromTicks((long)(backoff.Ticks * (0.5 + Random.Shared.NextDouble() / 2)));
}
