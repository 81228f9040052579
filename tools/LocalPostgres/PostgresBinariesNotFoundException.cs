namespace InvoiceApi.LocalPostgres;

/// <summary>
/// Thrown when no PostgreSQL server binaries (initdb, pg_ctl, postgres) can be found on this machine.
/// The default message says how to install them.
/// </summary>
public sealed class PostgresBinariesNotFoundException : Exception
{
    /// <summary>The message used when no other is given: where we looked and the install command.</summary>
    public const string DefaultMessage =
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin. " +
        "Install them with: sudo apt-get install -y postgresql  (Debian/Ubuntu)";

    /// <summary>Creates the exception with <see cref="DefaultMessage"/>.</summary>
    public PostgresBinariesNotFoundException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a specific message.</summary>
    public PostgresBinariesNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a specific message and its cause.</summary>
    public PostgresBinariesNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
