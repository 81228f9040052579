namespace InvoiceApi.Functions.Api;

/// <summary>A function cannot start as configured (a setting is missing or wrong); the message says what to change.</summary>
public sealed class FunctionConfigurationException(string message) : Exception(message);
