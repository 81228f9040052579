namespace InvoiceApi.Data.Migrations;

/// <summary>The migrator refuses to go on; the message says why and what to do.</summary>
public sealed class MigrationException(string message) : Exception(message);
