using Npgsql;

namespace InvoiceApi.Data.Connection;

/// <summary>How to reach the database: a Unix socket directory (Cloud Run's <c>/cloudsql/&lt;instance&gt;</c>) or a TCP host.</summary>
/// <remarks>Not a record on purpose: a generated ToString would print the password.</remarks>
public sealed class DatabaseEndpoint
{
    /// <summary>Creates an endpoint; <paramref name="host"/> is a directory when it starts with '/'.</summary>
    public DatabaseEndpoint(string host, int port, string database, string user, string? password, string source)
    {
        Host = host;
        Port = port;
        Database = database;
        User = user;
        Password = password;
        Source = source;
    }

    /// <summary>The socket directory or the TCP host name.</summary>
    public string Host { get; }

    /// <summary>The port; for a socket it picks the file <c>.s.PGSQL.&lt;port&gt;</c> (5432 on Cloud Run).</summary>
    public int Port { get; }

    /// <summary>The database name.</summary>
    public string Database { get; }

    /// <summary>The login user.</summary>
    public string User { get; }

    /// <summary>The password; never logged or shown.</summary>
    public string? Password { get; }

    /// <summary>Which variables the endpoint came from, for error messages.</summary>
    public string Source { get; }

    /// <summary>
    /// TLS as the settings asked for it (<c>DATABASE_URL</c>'s <c>sslmode</c>), or null for the default: none over
    /// Cloud SQL's socket (already an encrypted tunnel), used when the server offers it over TCP.
    /// </summary>
    public SslMode? SslMode { get; init; }

    /// <summary>
    /// Cloud SQL IAM database login (<c>DB_IAM_AUTH=true</c>): the password is the service account's access token from
    /// the metadata server at <see cref="MetadataHost"/>, refreshed in the background (<see cref="DataSourceFactory"/>).
    /// </summary>
    public bool IamLogin { get; init; }

    /// <summary>The metadata server for <see cref="IamLogin"/> (<c>GCE_METADATA_HOST</c>), or null for Google Cloud's own.</summary>
    public string? MetadataHost { get; init; }

    /// <summary>The same endpoint, named after other variables (every setting kept).</summary>
    internal DatabaseEndpoint WithSource(string source) =>
        new(Host, Port, Database, User, Password, source) { SslMode = SslMode, IamLogin = IamLogin, MetadataHost = MetadataHost };

    /// <summary>True for a Unix socket directory.</summary>
    public bool IsUnixSocket => Host.StartsWith('/');

    /// <summary>Where connections go, for logs and errors: "Unix socket /cloudsql/p:r:i" or "TCP db.internal:5432".</summary>
    public string Location => IsUnixSocket ? $"Unix socket {Host}" : $"TCP {Host}:{Port}";

    /// <summary>User, database and location, without the password.</summary>
    public override string ToString() => $"database '{Database}' as {(IamLogin ? "IAM user" : "user")} '{User}' over {Location}";
}
