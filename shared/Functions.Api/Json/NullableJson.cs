using System.Text.Json;

namespace InvoiceApi.Functions.Api.Json;

/// <summary>
/// Writes a property whose value may be missing as JSON <c>null</c>, never leaving the property out: the API's objects
/// always carry every documented member.
/// </summary>
public static class NullableJson
{
    /// <summary>Writes <paramref name="name"/> with <paramref name="value"/> as a string, or as <c>null</c> when there is none.</summary>
    public static void WriteStringOrNull(this Utf8JsonWriter json, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Writes <paramref name="name"/> with <paramref name="value"/> as a number, or as <c>null</c> when there is none.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter json, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Writes <paramref name="name"/> with <paramref name="value"/> as a number, or as <c>null</c> when there is none.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter json, string name, decimal? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
