using Npgsql;

namespace InvoiceApi.Data.Connection;

/// <summary>
/// A pooled connection with its transaction begun; disposing it rolls back what was not committed and returns the
/// connection to the pool.
/// </summary>
public sealed class DatabaseTransaction : IAsyncDisposable
{
    internal DatabaseTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The open connection.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The transaction on <see cref="Connection"/>.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>Rolls back an uncommitted transaction and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
