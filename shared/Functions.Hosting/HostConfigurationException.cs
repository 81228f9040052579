namespace InvoiceApi.Functions.Hosting;

/// <summary>The host cannot start as configured; the message says what to change.</summary>
public sealed class HostConfigurationException(string message) : Exception(message);
