using System.Text.Json;
using InvoiceApi.Functions.Api.Json;

namespace Invoices.Model;

/// <summary>Writes invoices as the API's JSON (design/API.md, "The invoice"), without reflection.</summary>
internal static class InvoiceJson
{
    /// <summary>Writes one invoice object. Money is a decimal string ("1234.50"), so no client parses it as a float.</summary>
    internal static void Write(Utf8JsonWriter json, InvoiceRow invoice)
    {
        json.WriteStartObject();
        json.WriteString("id", invoice.Id);
        WriteNullable(json, "number", invoice.Number);
        json.WriteString("date", ApiJson.Date(invoice.Date));
        WriteNullable(json, "due_date", invoice.DueDate is { } due ? ApiJson.Date(due) : null);
        json.WriteString("provider", invoice.Provider);
        WriteNullable(json, "nit", invoice.Nit);
        json.WriteString("amount", InvoiceFormats.Amount(invoice.Amount));
        json.WriteString("currency", invoice.Currency);
        WriteNullable(json, "payment_method", invoice.PaymentMethod);
        json.WriteString("category", invoice.Category);
        WriteNullable(json, "description", invoice.Description);
        json.WriteString("status", invoice.Status);
        WriteNullable(json, "paid_at", invoice.PaidAt is { } paid ? ApiJson.Date(paid) : null);
        WriteNullable(json, "file_path", invoice.FilePath);
        json.WritePropertyName("ocr_data");
        if (invoice.OcrData is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(invoice.OcrData, skipInputValidation: true);
        }
        if (invoice.OcrConfidence is { } confidence)
        {
            json.WriteNumber("ocr_confidence", confidence);
        }
        else
        {
            json.WriteNull("ocr_confidence");
        }
        json.WriteString("created_at", InvoiceFormats.Timestamp(invoice.CreatedAt));
        json.WriteString("updated_at", InvoiceFormats.Timestamp(invoice.UpdatedAt));
        json.WriteNumber("version", invoice.Version);
        WriteNullable(json, "archived_at", invoice.ArchivedAt is { } archived ? InvoiceFormats.Timestamp(archived) : null);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
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
