using System.Globalization;
using Npgsql;

namespace InvoiceApi.Data.Connection;

/// <summary>Builds the process's one <see cref="NpgsqlDataSource"/> for an endpoint and its pool options.</summary>
public static class DataSourceFactory
{
    /// <summary>How often an IAM login's token is fetched again: the metadata server renews a token well before its
    /// last five minutes, so a token never gets that old here, and a new connection never presents an expired one.</summary>
    public static readonly TimeSpan AccessTokenRefresh = TimeSpan.FromMinutes(1);

    /// <summary>How soon a failed token fetch is tried again (connections keep the last good token meanwhile).</summary>
    public static readonly TimeSpan AccessTokenRetry = TimeSpan.FromSeconds(5);

    /// <summary>Creates the data source; the caller owns and disposes it. <paramref name="tune"/> adjusts its settings.</summary>
    public static NpgsqlDataSource Create(DatabaseEndpoint endpoint, DatabasePoolOptions options, Action<NpgsqlConnectionStringBuilder>? tune = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        // The slim builder leaves out reflection-heavy type plugins, so the data source works under Native AOT.
        var builder = new NpgsqlSlimDataSourceBuilder(ConnectionString(endpoint, options));
        // TLS is an opt-in of the slim builder: without it sslmode=prefer silently stays plain text over TCP and
        // sslmode=require cannot connect at all (IAM login over TCP requires it).
        builder.EnableTransportSecurity();
        tune?.Invoke(builder.ConnectionStringBuilder);
        if (endpoint.IamLogin)
        {
            // Npgsql fetches the token in the background and every new connection uses the latest one: no request
            // waits on the metadata server.
            var tokens = new MetadataAccessTokens(endpoint.MetadataHost);
            builder.UsePeriodicPasswordProvider((_, cancellationToken) => tokens.FetchAsync(cancellationToken),
                options.AccessTokenRefresh ?? AccessTokenRefresh, AccessTokenRetry);
        }
        return builder.Build();
    }

    /// <summary>The connection string for <paramref name="endpoint"/>; it holds the password, so it is never logged.</summary>
    public static string ConnectionString(DatabaseEndpoint endpoint, DatabasePoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Database = endpoint.Database,
            Username = endpoint.User,
            Password = endpoint.Password,
            // Cloud SQL's socket is already an encrypted tunnel; TCP asks for TLS when the server offers it, unless the
            // settings demand more (sslmode=require, verify-full) or less.
            SslMode = endpoint.SslMode ?? (endpoint.IsUnixSocket ? SslMode.Disable : SslMode.Prefer),
            MaxPoolSize = options.MaxPoolSize,
            MinPoolSize = 0,
            Timeout = Math.Max(1, (int)options.OpenTimeout.TotalSeconds),
            // The server's statement_timeout should fire first; the client limit only catches a silent network.
            CommandTimeout = options.StatementTimeout == TimeSpan.Zero ? 0 : (int)options.StatementTimeout.TotalSeconds + 5,
            KeepAlive = 30,
            // No DISCARD ALL on every return to the pool (a round trip per request): every setting the code makes is
            // transaction-local (set_config(..., true), SET LOCAL, temp tables ON COMMIT DROP), and Npgsql still rolls
            // back a transaction left open, so a pooled connection carries nothing from one request to the next.
            NoResetOnClose = true,
            ApplicationName = options.ApplicationName,
            // Every request runs one of a few dozen statement texts, whose planning (under row-level security, for a
            // UNION of rollup ranges) costs as much as running them: each connection prepares a text the second time it
            // sees it. A plan broken by a changed table is still the schema mismatch's 503 (DatabaseProblemMapper).
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // Server-side backstops: a runaway statement or a forgotten transaction cannot hold a connection for long.
            Options = string.Create(CultureInfo.InvariantCulture,
                $"-c statement_timeout={(long)options.StatementTimeout.TotalMilliseconds} -c idle_in_transaction_session_timeout={(long)options.IdleInTransactionTimeout.TotalMilliseconds}"),
        };
        if (!endpoint.IsUnixSocket)
        {
            builder.TcpKeepAlive = true;
        }
        return builder.ConnectionString;
    }
}
