namespace InvoiceApi.Data.Connection;

/// <summary>
/// Resolves an optional read replica from variables named after a prefix, in the same three forms as the primary:
/// <c>{prefix}_INSTANCE_CONNECTION_NAME</c> (socket under <c>{prefix}_INSTANCE_UNIX_SOCKET</c>, else <c>INSTANCE_UNIX_SOCKET</c>,
/// else /cloudsql), <c>{prefix}_HOST</c> with <c>{prefix}_PORT</c>, or <c>{prefix}_URL</c>. The login (<c>DB_USER</c>,
/// <c>DB_PASS</c>, <c>DB_NAME</c>) is the primary's unless <c>{prefix}_DB_USER</c>, <c>_DB_PASS</c>, <c>_DB_NAME</c> say otherwise:
/// a Cloud SQL replica has the primary's users.
/// </summary>
public static class ReadReplicaEndpoint
{
    /// <summary>The replica's endpoint, or null when none of the prefix's variables is set.</summary>
    /// <exception cref="DatabaseConfigurationException">A replica variable is set but malformed or incomplete.</exception>
    public static DatabaseEndpoint? Resolve(string prefix, Func<string, string?> variable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentNullException.ThrowIfNull(variable);
        string? Read(string name) => string.IsNullOrWhiteSpace(variable(name)) ? null : variable(name);
        string? Replica(string name) => name switch
        {
            "INSTANCE_CONNECTION_NAME" => Read($"{prefix}_INSTANCE_CONNECTION_NAME"),
            "INSTANCE_UNIX_SOCKET" => Read($"{prefix}_INSTANCE_UNIX_SOCKET") ?? SocketRoot(Read("INSTANCE_UNIX_SOCKET"), Read("INSTANCE_CONNECTION_NAME")),
            "INSTANCE_HOST" => Read($"{prefix}_HOST"),
            "DB_PORT" => Read($"{prefix}_PORT"),
            "DATABASE_URL" => Read($"{prefix}_URL"),
            _ => Read($"{prefix}_{name}") ?? Read(name),
        };
        if (Replica("INSTANCE_CONNECTION_NAME") is null && Replica("INSTANCE_HOST") is null && Replica("DATABASE_URL") is null)
        {
            return null;
        }
        try
        {
            var endpoint = DatabaseEndpointResolver.Resolve(Replica);
            return endpoint.WithSource($"{prefix}_* ({endpoint.Source})");
        }
        catch (DatabaseConfigurationException exception)
        {
            throw new DatabaseConfigurationException(
                $"The read replica settings ({prefix}_INSTANCE_CONNECTION_NAME, {prefix}_HOST + {prefix}_PORT or {prefix}_URL) are wrong; "
                + $"the names below are those of the primary's form: {exception.Message}");
        }
    }

    /// <summary>
    /// The directory Cloud Run mounts every instance's socket under, from the primary's <c>INSTANCE_UNIX_SOCKET</c>. That
    /// may be the primary's own socket directory (<c>/cloudsql/p:r:primary</c>, as Google's samples set it); the
    /// replica's sits beside it (<c>/cloudsql/p:r:replica</c>), not inside it.
    /// </summary>
    private static string? SocketRoot(string? primarySocket, string? primaryInstance)
    {
        var socket = primarySocket?.TrimEnd('/');
        return socket is not null && primaryInstance is not null && socket.EndsWith("/" + primaryInstance, StringComparison.Ordinal)
            ? socket[..^(primaryInstance.Length + 1)] is { Length: > 0 } root ? root : "/"
            : primarySocket;
    }
}
