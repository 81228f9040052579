namespace InvoiceApi.Tools.Emulator;

/// <summary>What the emulator's exit code means, so scripts can tell a busy port from a broken database.</summary>
internal static class ExitCodes
{
    /// <summary>Stopped on request (Ctrl+C or SIGTERM) after running.</summary>
    internal const int Stopped = 0;

    /// <summary>A migration, the schema or a function failed.</summary>
    internal const int Failed = 1;

    /// <summary>A wrong flag, a busy port or another emulator already running.</summary>
    internal const int Usage = 2;

    /// <summary>PostgreSQL could not be started or reached.</summary>
    internal const int Database = 3;
}
