using System.Text.Json;
using Stats.Queries;
using InvoiceApi.Functions.Api.Json;

namespace Stats.Model;

/// <summary>Writes one supplier's figures (<c>/dashboard</c>'s top providers and <c>/providers</c>).</summary>
internal static class ProviderJson
{
    internal static void Write(Utf8JsonWriter json, ProviderTotal provider)
    {
        json.WriteStartObject();
        json.WriteString("provider", provider.Name ?? provider.Key);
        StatsJson.WriteNullable(json, "nit", provider.Nit);
        StatsJson.WriteCountAndTotal(json, provider.InvoiceCount, provider.Total);
        StatsJson.WriteNullable(json, "last_invoice_date", provider.LastInvoiceDate is { } last ? ApiJson.Date(last) : null);
        json.WriteEndObject();
    }
}
