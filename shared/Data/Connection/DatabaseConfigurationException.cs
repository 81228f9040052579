namespace InvoiceApi.Data.Connection;

/// <summary>The environment does not say how to reach the database; the message names the variables to set.</summary>
public sealed class DatabaseConfigurationException(string message) : Exception(message);
