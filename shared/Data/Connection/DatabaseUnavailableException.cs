namespace InvoiceApi.Data.Connection;

/// <summary>
/// No connection could be opened. The message is for operators: it names the user, database and socket path or host
/// (never the password) and what to do. Clients get a plain 503 instead.
/// </summary>
public sealed class DatabaseUnavailableException(string message, bool isTransient, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>True when retrying later may succeed (outage, pool exhausted); false for login or deploy mistakes.</summary>
    public bool IsTransient { get; } = isTransient;
}
