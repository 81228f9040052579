using Npgsql;

namespace InvoiceApi.Data.Connection;

/// <summary>
/// Parses <c>DATABASE_URL</c>: <c>postgresql://user:pass@host:port/db</c>, or the socket form
/// <c>postgresql://user:pass@/db?host=/cloudsql/project:region:instance</c> (libpq's convention). Query parameters
/// read: <c>host</c>, <c>port</c>, <c>user</c> and <c>sslmode</c>.
/// </summary>
internal static class DatabaseUrl
{
    // Never echo any part of the URL in an error: a password that breaks the parse could be the part echoed.
    private const string EncodingHint =
        "If the password holds '/', '?', '#' or '@', percent-encode them (/ as %2F, ? as %3F, # as %23, @ as %40).";

    public static DatabaseEndpoint Parse(string url)
    {
        var rest = StripScheme(url);
        RefuseUnencodedUserInfo(rest);
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        rest = queryStart < 0 ? rest : rest[..queryStart];

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);

        var at = authority.LastIndexOf('@');
        var (user, password) = at < 0 ? (null, null) : SplitUserInfo(authority[..at]);
        var (host, port) = SplitHostPort(at < 0 ? authority : authority[(at + 1)..]);

        var parameters = ParseQuery(query);
        host = parameters.GetValueOrDefault("host") ?? host;
        port = parameters.TryGetValue("port", out var portText) ? ParsePort(portText) : port;
        user = parameters.GetValueOrDefault("user") ?? user;

        var missing = new[] { ("a user", user), ("a host (or ?host=/socket/dir)", host), ("a database name", database) }
            .Where(part => string.IsNullOrEmpty(part.Item2)).Select(part => part.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new DatabaseConfigurationException(
                $"DATABASE_URL lacks {string.Join(", ", missing)}; expected postgresql://user:pass@host:port/db or postgresql://user:pass@/db?host=/cloudsql/project:region:instance.");
        }
        return new DatabaseEndpoint(host!, port, database, user!, password, "DATABASE_URL") { SslMode = ParseSslMode(parameters) };
    }

    // libpq's names; a demand for TLS must never be dropped in silence.
    private static SslMode? ParseSslMode(Dictionary<string, string> parameters) =>
        !parameters.TryGetValue("sslmode", out var mode) ? null : mode switch
        {
            "disable" => SslMode.Disable,
            "allow" => SslMode.Allow,
            "prefer" => SslMode.Prefer,
            "require" => SslMode.Require,
            "verify-ca" => SslMode.VerifyCA,
            "verify-full" => SslMode.VerifyFull,
            _ => throw new DatabaseConfigurationException(
                "DATABASE_URL's sslmode must be one of disable, allow, prefer, require, verify-ca or verify-full."),
        };

    private static string StripScheme(string url)
    {
        foreach (var scheme in new[] { "postgresql://", "postgres://" })
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return url[scheme.Length..];
            }
        }
        // Never echo the URL: it may hold a password.
        throw new DatabaseConfigurationException("DATABASE_URL must start with postgresql:// or postgres://.");
    }

    /// <summary>
    /// Refuses an '@' past the end of the authority that is not inside a query value (<c>?user=a@b</c> is fine): the
    /// sign of a password with an unencoded '/', '?' or '#', which would cut the URL in the wrong place and leave a
    /// piece of the password standing where the host, port or database name is read.
    /// </summary>
    private static void RefuseUnencodedUserInfo(string rest)
    {
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (authorityEnd >= 0 && at > authorityEnd && (equals < 0 || at < equals))
        {
            throw new DatabaseConfigurationException($"DATABASE_URL's user and password are not where the URL form puts them. {EncodingHint}");
        }
    }

    private static int ParsePort(string text)
    {
        try
        {
            return DatabaseEndpointResolver.ParsePort(text, "DATABASE_URL's port");
        }
        catch (DatabaseConfigurationException)
        {
            throw new DatabaseConfigurationException($"DATABASE_URL's port must be a number from 1 to 65535. {EncodingHint}");
        }
    }

    private static (string? User, string? Password) SplitUserInfo(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), null)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    private static (string? Host, int Port) SplitHostPort(string hostPort)
    {
        if (hostPort.Length == 0)
        {
            return (null, DatabaseEndpointResolver.DefaultPort);
        }
        // [::1]:5432 keeps its brackets out of the host name.
        var closing = hostPort.LastIndexOf(']');
        var colon = hostPort.LastIndexOf(':');
        if (colon > closing)
        {
            return (Unbracket(hostPort[..colon]), ParsePort(hostPort[(colon + 1)..]));
        }
        return (Unbracket(hostPort), DatabaseEndpointResolver.DefaultPort);
    }

    private static string Unbracket(string host) => Uri.UnescapeDataString(host.Trim('[', ']'));

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(
                pair => Uri.UnescapeDataString(pair[0]).ToLowerInvariant(),
                pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : "",
                StringComparer.Ordinal);
}
