using System.Globalization;
using System.Text.Json;
using InvoiceApi.Functions.Api.Json;
using Microsoft.AspNetCore.Http;

namespace Stats.Model;

/// <summary>Writes a figures response as JSON with <see cref="Utf8JsonWriter"/> (no reflection, Native AOT safe).</summary>
internal static class StatsJson
{
    internal static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, ApiJson.WriterOptions))
        {
            body(json);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    internal static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>"count": n, "total": "x.xx"</c> into the open object.</summary>
    internal static void WriteCountAndTotal(Utf8JsonWriter json, long count, decimal total)
    {
        json.WriteNumber("count", count);
        json.WriteString("total", Money.Format(total));
    }

    internal static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
