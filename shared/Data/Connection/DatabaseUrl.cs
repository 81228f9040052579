namespace InvoiceApi.Data.Connection;

/// <summary>
/// Parses <c>DATABASE_URL</c>: <c>postgresql://user:pass@host:port/db</c>, or the socket form
/// <c>postgresql://user:pass@/db?host=/cloudsql/project:region:instance</c> (libpq's convention).
/// </summary>
internal static class DatabaseUrl
{
    public static DatabaseEndpoint Parse(string url)
    {
        var rest = StripScheme(url);
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
        port = parameters.TryGetValue("port", out var portText) ? DatabaseEndpointResolver.ParsePort(portText, "DATABASE_URL's port") : port;
        user = parameters.GetValueOrDefault("user") ?? user;

        var missing = new[] { ("a user", user), ("a host (or ?host=/socket/dir)", host), ("a database name", database) }
            .Where(part => string.IsNullOrEmpty(part.Item2)).Select(part => part.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new DatabaseConfigurationException(
                $"DATABASE_URL lacks {string.Join(", ", missing)}; expected postgresql://user:pass@host:port/db or postgresql://user:pass@/db?host=/cloudsql/project:region:instance.");
        }
        return new DatabaseEndpoint(host!, port, database, user!, password, "DATABASE_URL");
    }

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
            return (Unbracket(hostPort[..colon]), DatabaseEndpointResolver.ParsePort(hostPort[(colon + 1)..], "DATABASE_URL's port"));
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
