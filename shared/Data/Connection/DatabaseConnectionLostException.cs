namespace InvoiceApi.Data.Connection;

/// <summary>
/// The connection died (the server crashed, restarted or ended the session) after a transaction had begun. When it
/// died during COMMIT the server may have committed before the answer was lost, so the outcome of a write is unknown.
/// </summary>
public sealed class DatabaseConnectionLostException(string message, bool mayHaveCommitted, Exception innerException)
    : Exception(message, innerException)
{
    /// <summary>True when the connection died during COMMIT: the write may or may not have been saved.</summary>
    public bool MayHaveCommitted { get; } = mayHaveCommitted;
}
