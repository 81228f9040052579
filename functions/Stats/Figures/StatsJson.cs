using System.Text.Json;
using System.Text.Json.Serialization;
using InvoiceApi.Functions.Api.Json;

namespace Stats.Figures;

/// <summary>
/// The JSON of every Stats response: snake_case names, nulls written, source-generated (no reflection, Native AOT safe).
/// Use <see cref="Api"/>, which writes letters of every language as themselves, as every other response does.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DashboardResponse))]
[JsonSerializable(typeof(TrendResponse))]
[JsonSerializable(typeof(ProvidersResponse))]
[JsonSerializable(typeof(TaxesResponse))]
internal sealed partial class StatsJson : JsonSerializerContext
{
    internal const string ContentType = "application/json; charset=utf-8";

    /// <summary>The responses with the API's encoder (<see cref="ApiJson.WriterOptions"/>): "Papelería", not "Papeler\u00EDa".</summary>
    internal static StatsJson Api { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = ApiJson.WriterOptions.Encoder,
    });
}
