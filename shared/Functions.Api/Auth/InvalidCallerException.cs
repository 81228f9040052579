namespace InvoiceApi.Functions.Api.Auth;

/// <summary>A token that verified but names no usable caller (no or an overlong <c>sub</c>).</summary>
internal sealed class InvalidCallerException(string message) : Exception(message);
