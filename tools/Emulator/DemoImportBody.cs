using System.Globalization;
using System.Text.Json;

namespace InvoiceApi.Tools.Emulator;

/// <summary>A batch of demo invoices as the JSON array <c>POST /import</c> takes: the API's field names, amounts as decimal strings.</summary>
internal static class DemoImportBody
{
    internal static byte[] Write(IEnumerable<DemoInvoice> invoices)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var invoice in invoices)
            {
                WriteInvoice(json, invoice);
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static void WriteInvoice(Utf8JsonWriter json, DemoInvoice invoice)
    {
        json.WriteStartObject();
        json.WriteString("number", invoice.Number);
        json.WriteString("date", Day(invoice.Date));
        WriteOptional(json, "due_date", invoice.DueDate is { } due ? Day(due) : null);
        json.WriteString("provider", invoice.Provider);
        WriteOptional(json, "nit", invoice.Nit);
        json.WriteString("amount", Money(invoice.Amount));
        if (invoice.Subtotal is { } subtotal)
        {
            json.WriteString("subtotal", Money(subtotal));
        }
        if (invoice.Tax is { } tax)
        {
            json.WriteStartArray("taxes");
            json.WriteStartObject();
            json.WriteString("scheme", tax.Scheme);
            json.WriteString("name", tax.Name);
            json.WriteString("rate", tax.Rate.ToString("0.####", CultureInfo.InvariantCulture));
            json.WriteString("base", Money(tax.Base));
            json.WriteString("amount", Money(tax.Amount));
            json.WriteEndObject();
            json.WriteEndArray();
        }
        json.WriteString("currency", invoice.Currency);
        WriteOptional(json, "payment_method", invoice.PaymentMethod);
        json.WriteString("category", invoice.Category);
        json.WriteString("description", invoice.Description);
        json.WriteString("status", invoice.Status);
        WriteOptional(json, "paid_at", invoice.PaidAt is { } paid ? Day(paid) : null);
        WriteOptional(json, "file_path", invoice.FilePath);
        if (invoice.OcrConfidence is { } confidence)
        {
            json.WriteNumber("ocr_confidence", confidence);
        }
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
