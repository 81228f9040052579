using System.Globalization;

namespace InvoiceApi.Data.Connection;

/// <summary>
/// The one place that decides how this process reaches PostgreSQL, from the environment, in this order:
/// <c>INSTANCE_CONNECTION_NAME</c> (Cloud Run's socket), <c>INSTANCE_HOST</c> (TCP), <c>DATABASE_URL</c>.
/// </summary>
public static class DatabaseEndpointResolver
{
    /// <summary>Where Cloud Run mounts instance sockets unless <c>INSTANCE_UNIX_SOCKET</c> says otherwise.</summary>
    public const string DefaultSocketRoot = "/cloudsql";

    /// <summary>The PostgreSQL port, and the number in the socket file name Cloud Run creates.</summary>
    public const int DefaultPort = 5432;

    /// <summary>Every variable the resolver reads, for the error shown when none is set.</summary>
    public static readonly IReadOnlyList<string> Variables =
        ["INSTANCE_CONNECTION_NAME", "INSTANCE_UNIX_SOCKET", "INSTANCE_HOST", "DB_PORT", "DB_USER", "DB_PASS", "DB_NAME", "DATABASE_URL", "DB_IAM_AUTH", "GCE_METADATA_HOST"];

    /// <summary>Resolves the endpoint from <paramref name="variable"/> (an environment or configuration lookup).</summary>
    /// <exception cref="DatabaseConfigurationException">Nothing or something inconsistent is set.</exception>
    public static DatabaseEndpoint Resolve(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Read(string name) => string.IsNullOrWhiteSpace(variable(name)) ? null : variable(name);
        return WithLogin(Locate(Read), Read);
    }

    private static DatabaseEndpoint Locate(Func<string, string?> Read)
    {
        if (Read("INSTANCE_CONNECTION_NAME") is { } instance)
        {
            return FromInstance(instance, Read("INSTANCE_UNIX_SOCKET"), Read);
        }
        if (Read("INSTANCE_HOST") is { } host)
        {
            return FromParts(host, ParsePort(Read("DB_PORT"), "DB_PORT"), "INSTANCE_HOST", Read);
        }
        if (Read("DATABASE_URL") is { } url)
        {
            return DatabaseUrl.Parse(url);
        }
        throw new DatabaseConfigurationException(
            "No database is configured. Set INSTANCE_CONNECTION_NAME (project:region:instance, for Cloud Run's Cloud SQL socket), "
            + "or INSTANCE_HOST (+ DB_PORT) for TCP, each with DB_USER, DB_PASS and DB_NAME; or DATABASE_URL "
            + "(postgresql://user:pass@host:port/db or postgresql://user:pass@/db?host=/cloudsql/project:region:instance). "
            + $"Variables read: {string.Join(", ", Variables)}.");
    }

    // DB_IAM_AUTH=true: the password is an access token (MetadataAccessTokens), so a configured one is a mistake, and
    // over TCP the token must not travel in clear text (Cloud SQL's socket is already an encrypted tunnel).
    private static DatabaseEndpoint WithLogin(DatabaseEndpoint endpoint, Func<string, string?> read)
    {
        var iam = read("DB_IAM_AUTH") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw new DatabaseConfigurationException($"DB_IAM_AUTH must be true or false, got '{other}'."),
        };
        if (!iam)
        {
            return endpoint;
        }
        if (!string.IsNullOrEmpty(endpoint.Password))
        {
            throw new DatabaseConfigurationException(
                $"DB_IAM_AUTH=true logs in with an access token, but a password is set too ({(endpoint.Source == "DATABASE_URL" ? "in DATABASE_URL" : "DB_PASS")}): "
                + "remove the password (on Cloud Run: gcloud run services update SERVICE --remove-secrets=DB_PASS), or unset DB_IAM_AUTH to keep password login.");
        }
        if (!endpoint.IsUnixSocket && endpoint.SslMode is Npgsql.SslMode.Disable or Npgsql.SslMode.Allow or Npgsql.SslMode.Prefer)
        {
            throw new DatabaseConfigurationException(
                $"DB_IAM_AUTH=true over TCP needs TLS (the token is the password), but sslmode={endpoint.SslMode.ToString()!.ToLowerInvariant()} is set: use sslmode=require or verify-full, or Cloud SQL's socket.");
        }
        return new DatabaseEndpoint(endpoint.Host, endpoint.Port, endpoint.Database, endpoint.User, password: null, endpoint.Source)
        {
            SslMode = endpoint.IsUnixSocket ? endpoint.SslMode : endpoint.SslMode ?? Npgsql.SslMode.Require,
            IamLogin = true,
            MetadataHost = read("GCE_METADATA_HOST"),
        };
    }

    private static DatabaseEndpoint FromInstance(string instance, string? socketRoot, Func<string, string?> read)
    {
        var parts = instance.Split(':');
        if (parts.Length < 3 || parts.Any(string.IsNullOrEmpty))
        {
            throw new DatabaseConfigurationException(
                $"INSTANCE_CONNECTION_NAME must look like project:region:instance, got '{instance}'.");
        }
        var root = (socketRoot ?? DefaultSocketRoot).TrimEnd('/');
        if (!root.StartsWith('/'))
        {
            throw new DatabaseConfigurationException($"INSTANCE_UNIX_SOCKET must be an absolute directory, got '{socketRoot}'.");
        }
        // Google's samples set INSTANCE_UNIX_SOCKET to the full /cloudsql/<instance> path; accept that too.
        var directory = root.EndsWith("/" + instance, StringComparison.Ordinal) ? root : $"{root}/{instance}";
        return FromParts(directory, DefaultPort, "INSTANCE_CONNECTION_NAME", read);
    }

    private static DatabaseEndpoint FromParts(string host, int port, string source, Func<string, string?> read)
    {
        var user = read("DB_USER");
        var database = read("DB_NAME");
        var missing = new[] { ("DB_USER", user), ("DB_NAME", database) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new DatabaseConfigurationException($"{source} is set but {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not; set them too (and DB_PASS).");
        }
        // A password may legitimately be empty (IAM login supplies a token instead), so it is not required here.
        return new DatabaseEndpoint(host, port, database!, user!, read("DB_PASS"), source);
    }

    internal static int ParsePort(string? value, string name)
    {
        if (value is null)
        {
            return DefaultPort;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new DatabaseConfigurationException($"{name} must be a port number from 1 to 65535, got '{value}'.");
        }
        return port;
    }
}
