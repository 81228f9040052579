using System.Text.Json;

namespace Invoices;

/// <summary>
/// Whether every string and field name in a JSON value can be read as text. JSON's grammar lets <c>"\ud800"</c> (a lone
/// surrogate escape) through, but no .NET string or UTF-8 text can hold it, and reading it throws.
/// </summary>
internal static class JsonUnicode
{
    internal static bool IsDecodable(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().All(property => IsDecodableName(property) && IsDecodable(property.Value)),
        JsonValueKind.Array => value.EnumerateArray().All(IsDecodable),
        JsonValueKind.String => IsDecodableString(value),
        _ => true,
    };

    private static bool IsDecodableString(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsDecodableName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
