using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace InvoiceApi.Functions.Api.Json;

/// <summary>How every JSON response of the API is written.</summary>
public static class ApiJson
{
    /// <summary>
    /// Letters of every language written as themselves ("Papelería", not "Papeler\u00EDa"), while the characters HTML
    /// gives meaning to stay escaped; the default encoder escapes everything outside ASCII.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>
    /// How the API writes a calendar date everywhere: ISO 8601, <c>2026-11-24</c>. The round-trip format ("O") is that,
    /// written digit by digit rather than through a custom pattern's parser.
    /// </summary>
    public const string DateFormat = "O";

    /// <summary>A calendar date as the API writes it everywhere (<see cref="DateFormat"/>).</summary>
    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);
}
